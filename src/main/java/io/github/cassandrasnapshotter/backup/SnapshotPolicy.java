package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.catalog.SnapshotRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * When a backup reuses a snapshot (an incremental run) and when it takes a new one.
 *
 * <p>A snapshot is reused when it is complete (its manifest.json exists) and its hosts, keyspaces,
 * table and excluded tables equal the request's, each compared as a set (order and repeats do not
 * matter; "all keyspaces" only equals "all keyspaces"), and none of its metadata objects is unreadable.
 * The old tool compared ordered lists.
 * Then {@code --max-snapshot-age} and {@code --max-incremental-runs} may still ask for a new one.
 *
 * @param newSnapshot        {@code --new-snapshot}: never reuse a snapshot
 * @param maxSnapshotAge     {@code --max-snapshot-age}: a snapshot this old or older is not reused; null for no limit
 * @param maxIncrementalRuns {@code --max-incremental-runs}: a snapshot with this many incremental runs is not
 *                           reused; {@link #NO_LIMIT} for no limit
 * @param selfContained      {@code --self-contained}: a file an earlier backup stored is copied into the new
 *                           snapshot's folder, never named where it is ({@link StoredObjects})
 */
public record SnapshotPolicy(boolean newSnapshot, Duration maxSnapshotAge, int maxIncrementalRuns, boolean selfContained) {
    /** The {@code maxIncrementalRuns} of no limit. */
    public static final int NO_LIMIT = 0;

    /** Not self-contained: earlier objects are named where they are. */
    public SnapshotPolicy(boolean newSnapshot, Duration maxSnapshotAge, int maxIncrementalRuns) {
        this(newSnapshot, maxSnapshotAge, maxIncrementalRuns, false);
    }

    /** A snapshot is reused whatever its age and runs. */
    public static SnapshotPolicy unlimited() {
        return new SnapshotPolicy(false, null, NO_LIMIT);
    }

    /** The same limits, with or without {@code --new-snapshot} (the daemon's two schedules). */
    public SnapshotPolicy withNewSnapshot(boolean always) {
        return new SnapshotPolicy(always, maxSnapshotAge, maxIncrementalRuns, selfContained);
    }

    /**
     * Whether a snapshot covers exactly what the request backs up. One with a metadata object that
     * cannot be used never does: a restore would not use it either.
     */
    public boolean matches(BackupRequest request, SnapshotRecord snapshot) {
        return snapshot.complete()
                && snapshot.unreadable().isEmpty()
                && set(snapshot.hosts()).equals(set(request.selection().hosts()))
                && set(snapshot.keyspaces()).equals(set(request.selection().keyspaces()))
                && snapshot.table().equals(request.selection().table())
                && set(snapshot.excludeTables()).equals(set(request.selection().excludeTables()))
                // an incremental run is encrypted as its snapshot is, or restore could read only part of it
                && snapshot.manifest().encrypted() == request.s3().clientSideEncryption();
    }

    /** @param newest the newest snapshot that {@link #matches}, or null */
    public SnapshotChoice decide(SnapshotRecord newest, Instant now) {
        if (newSnapshot) {
            return SnapshotChoice.newSnapshot("a new snapshot was asked for (--new-snapshot, or the daemon's snapshot schedule)");
        }
        if (newest == null) {
            return SnapshotChoice.newSnapshot("no complete snapshot of these hosts, keyspaces and table");
        }
        Duration age = Duration.between(newest.time(), now);
        int runs = newest.incrementalRuns().size();
        if (maxSnapshotAge != null && age.compareTo(maxSnapshotAge) >= 0) {
            return SnapshotChoice.newSnapshot("snapshot " + newest.name() + " is " + Durations.describe(age)
                    + " old, --max-snapshot-age is " + Durations.describe(maxSnapshotAge));
        }
        if (maxIncrementalRuns > NO_LIMIT && runs >= maxIncrementalRuns) {
            return SnapshotChoice.newSnapshot("snapshot " + newest.name() + " has " + runs
                    + " incremental runs, --max-incremental-runs is " + maxIncrementalRuns);
        }
        return SnapshotChoice.incremental(newest, "snapshot " + newest.name() + " (" + Durations.describe(age)
                + " old, " + runs + " incremental run" + (runs == 1 ? "" : "s") + ") covers these hosts, "
                + "keyspaces and table");
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : new HashSet<>(values);
    }
}
