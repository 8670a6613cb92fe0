package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.manifest.RunEntry;
import io.github.cassandrasnapshotter.manifest.RunStatus;
import io.github.cassandrasnapshotter.validate.SnapshotName;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * A snapshot as the retention rules see it.
 *
 * @param time     when it was taken (its name): what the incomplete grace counts from
 * @param latest   its newest restore point: the newest complete incremental run, else {@code time}; what the
 *                 keep rules judge, so that a snapshot whose runs are recent is recent
 * @param group    what it backs up (hosts, keyspaces, table, excluded tables, encryption): the rules keep
 *                 each group's snapshots on their own, so that a weekly backup of one keyspace is never pushed
 *                 out by the daily ones of another in the same base path; empty for incomplete snapshots
 * @param legacy   written by cassandra_snapshotter 1.x (also when this tool added incremental runs to it)
 */
public record SnapshotCandidate(String name, Instant time, Instant latest, boolean complete, boolean legacy, String group) {
    /** A snapshot without incremental runs, in the one group. */
    public SnapshotCandidate(String name, Instant time, boolean complete, boolean legacy) {
        this(name, time, time, complete, legacy, "");
    }

    public static SnapshotCandidate of(SnapshotRecord snapshot) {
        Instant time = snapshot.time();
        Instant latest = time;
        String group = "";
        boolean legacy = snapshot.manifest() == null ? snapshot.runs().isEmpty() : snapshot.manifest().format() == null;
        if (snapshot.complete()) {
            List<RunEntry> runs = snapshot.manifest().incrementalRuns();
            for (RunEntry run : runs == null ? List.<RunEntry>of() : runs) {
                if (run.status() == RunStatus.COMPLETE && SnapshotName.isName(run.runId())
                        && SnapshotName.timeOf(run.runId()).isAfter(latest)) {
                    latest = SnapshotName.timeOf(run.runId());
                }
            }
            group = "hosts " + new TreeSet<>(snapshot.hosts()) + ", keyspaces " + new TreeSet<>(snapshot.keyspaces())
                    + ", table '" + snapshot.table() + "', excluding " + new TreeSet<>(snapshot.excludeTables())
                    + (snapshot.manifest().encrypted() ? ", encrypted" : "");
        }
        return new SnapshotCandidate(snapshot.name(), time, latest, snapshot.complete(), legacy, group);
    }
}
