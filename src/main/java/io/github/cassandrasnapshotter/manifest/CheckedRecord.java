package io.github.cassandrasnapshotter.manifest;

/**
 * A metadata record read back from the bucket, which is untrusted input: it says what makes it
 * unusable (a field every reader needs is missing), so that the reader reports the object instead of
 * failing later with a NullPointerException.
 */
public interface CheckedRecord {
    /** Why this record cannot be used, as a clause ("it has no hosts"); null when it can. */
    String defect();
}
