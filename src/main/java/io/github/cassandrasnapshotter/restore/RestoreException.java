package io.github.cassandrasnapshotter.restore;

/** A restore that cannot start as asked (unknown or incomplete snapshot, nothing matching): nothing was written. */
public final class RestoreException extends RuntimeException {
    public RestoreException(String message) {
        super(message);
    }
}
