package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.catalog.SnapshotRecord;

import java.time.Instant;

/** A snapshot as the retention rules see it: its name, the time it was taken, complete or not, whose. */
public record SnapshotCandidate(String name, Instant time, boolean complete, boolean legacy) {
    public static SnapshotCandidate of(SnapshotRecord snapshot) {
        return new SnapshotCandidate(snapshot.name(), snapshot.time(), snapshot.complete(), snapshot.legacy());
    }
}
