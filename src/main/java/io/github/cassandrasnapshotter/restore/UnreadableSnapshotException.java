package io.github.cassandrasnapshotter.restore;

/**
 * A snapshot that cannot be restored or verified because one of its metadata objects (manifest.json,
 * a run's summary.json or a host's file list) exists and cannot be used; the message names its key.
 * Unlike {@link RestoreException} (bad input, exit status 2) this is a damaged backup (exit status 1).
 */
public final class UnreadableSnapshotException extends RuntimeException {
    public UnreadableSnapshotException(String message) {
        super(message);
    }
}
