package io.github.cassandrasnapshotter.util;

/** The innermost cause of a failure: Camel's and the executors' wrappers add where it happened, not why. */
public final class RootCause {
    private RootCause() {
    }

    public static Throwable of(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
