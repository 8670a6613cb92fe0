package io.github.cassandrasnapshotter.storage;

/**
 * The bucket cannot be used at all (unreachable, absent, refused): the run stops before it touches
 * a node. Worth a retry only once the cause its message names is fixed.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
