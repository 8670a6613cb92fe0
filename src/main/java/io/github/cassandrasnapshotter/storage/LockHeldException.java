package io.github.cassandrasnapshotter.storage;

/** Another run holds the base path's lock: this run is skipped, not queued; worth trying at the next fire. */
public final class LockHeldException extends RuntimeException {
    public LockHeldException(String message) {
        super(message);
    }
}
