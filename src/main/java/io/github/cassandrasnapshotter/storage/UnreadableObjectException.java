package io.github.cassandrasnapshotter.storage;

/**
 * A metadata object of a backup that exists but cannot be used: not JSON, truncated, or without a
 * field every reader needs. Bucket contents are untrusted input: readers report the object by its key
 * and skip it (list shows it as unreadable, backup and restore LATEST pass over its snapshot).
 */
public final class UnreadableObjectException extends RuntimeException {
    private final String location;

    /** @param location {@code s3://bucket/key} */
    public UnreadableObjectException(String location, String reason) {
        super(location + " cannot be used: " + reason);
        this.location = location;
    }

    public String location() {
        return location;
    }
}
