package io.github.cassandrasnapshotter.storage;

/**
 * The store refused a conditional write (If-Match, If-None-Match): the object is not, or no longer, what
 * the writer read. Another writer came between; reading the object again shows what it wrote.
 */
public final class ConditionFailedException extends RuntimeException {
    public ConditionFailedException(String message) {
        super(message);
    }
}
