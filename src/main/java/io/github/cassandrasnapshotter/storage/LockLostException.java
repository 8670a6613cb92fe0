package io.github.cassandrasnapshotter.storage;

/**
 * This run no longer holds its base path's lock (its renewal was refused, or could not be confirmed in
 * time): it stops before its next write that needs the lock. Running the backup again helps once the
 * run that holds the lock now has ended.
 */
public final class LockLostException extends RuntimeException {
    public LockLostException(String message) {
        super(message);
    }
}
