package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.manifest.PurgeReport;
import io.github.cassandrasnapshotter.retention.PurgeRequest;

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
    private final PurgeRequest purge;
    private final PrintStream out;

    /** @param purge the purge after each complete snapshot, or null when no retention rule is set */
    public ScheduledBackups(BackupRequest request, PurgeRequest purge, PrintStream out) {
        this.request = request;
        this.purge = purge;
        this.out = out;
    }

    public BackupRequest snapshotRequest() {
        return request.withNewSnapshot(true);
    }

    public BackupRequest incrementalRequest() {
        return request.withNewSnapshot(false);
    }

    /** The purge to run after this run: only after a complete new snapshot, and only with a rule set; else null. */
    public PurgeRequest purgeAfter(BackupPlan plan, Object outcome) {
        return purge != null && plan != null && !plan.incremental() && outcome instanceof BackupOutcome done
                && done.complete() ? purge : null;
    }

    public synchronized void purged(PurgeReport report, Exception failure) {
        if (failure != null) {
            out.println("purge stopped: " + io.github.cassandrasnapshotter.util.RootCause.of(failure).getMessage()
                    + "; the next complete snapshot tries again");
        } else {
            new PurgePrinter(out).print(report);
        }
        out.flush();
    }

    public synchronized void report(BackupPlan plan, Object outcome, Exception failure) {
        new BackupReport(out).print(plan, outcome instanceof BackupOutcome done ? done : null, failure);
        out.flush();
    }
}
