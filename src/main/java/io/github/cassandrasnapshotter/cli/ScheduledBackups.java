package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupRequest;

import java.io.PrintStream;

/**
 * The schedule routes' bean: the request each fire runs (a new snapshot, or an incremental run),
 * and the report of each run. A failed or skipped run is reported and the daemon goes on; the next
 * fire is the retry.
 */
public final class ScheduledBackups {
    private final BackupRequest request;
    private final PrintStream out;

    public ScheduledBackups(BackupRequest request, PrintStream out) {
        this.request = request;
        this.out = out;
    }

    public BackupRequest snapshotRequest() {
        return request.withNewSnapshot(true);
    }

    public BackupRequest incrementalRequest() {
        return request.withNewSnapshot(false);
    }

    public synchronized void report(BackupPlan plan, Object outcome, Exception failure) {
        new BackupReport(out).print(plan, outcome instanceof BackupOutcome done ? done : null, failure);
        out.flush();
    }
}
