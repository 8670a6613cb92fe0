package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.catalog.SnapshotRecord;

/**
 * Whether a run takes a new snapshot or adds an incremental run to an existing one, and why.
 *
 * @param parent the snapshot an incremental run adds to; null for a new snapshot
 */
public record SnapshotChoice(SnapshotRecord parent, String reason) {

    public static SnapshotChoice newSnapshot(String reason) {
        return new SnapshotChoice(null, reason);
    }

    public static SnapshotChoice incremental(SnapshotRecord parent, String reason) {
        return new SnapshotChoice(parent, reason);
    }

    public boolean incremental() {
        return parent != null;
    }
}
