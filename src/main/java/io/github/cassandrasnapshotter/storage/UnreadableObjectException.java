package io.github.cassandrasnapshotter.storage;

/**
 * A metadata object of a backup that exists but cannot be used: not JSON, truncated, or without a
 * field every reader needs. Bucket contents are untrusted input: readers report the object by its key
 * and skip it (list shows it as unreadable, backup and restore LATEST pass over its snapshot).
 */
public final class UnreadableObjectException extends RuntimeException {
    private final String location;
    private final boolean otherKeys;

    /** @param location {@code s3://bucket/key} */
    public UnreadableObjectException(String location, String reason) {
        this(location, reason, false);
    }

    /** @param otherKeys the object is fine, but not readable with the key file given (or without one) */
    public UnreadableObjectException(String location, String reason, boolean otherKeys) {
        super(location + " cannot be used: " + reason);
        this.location = location;
        this.otherKeys = otherKeys;
    }

    /** Whether another key file (or none) would read it: the operator's input, not a damaged backup. */
    public boolean otherKeys() {
        return otherKeys;
    }

    public String location() {
        return location;
    }
}
