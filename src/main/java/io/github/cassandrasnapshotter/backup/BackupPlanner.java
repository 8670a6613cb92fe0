package io.github.cassandrasnapshotter.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** The decisions of the backup routes: the plan of a run, and when it is complete. */
public final class BackupPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(BackupPlanner.class);

    private final Clock clock;

    public BackupPlanner(Clock clock) {
        this.clock = clock;
    }

    public BackupPlan plan(BackupRequest request) {
        BackupPlan plan = new BackupPlan(request, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        LOG.info("backup {} of {} to s3://{}/{}", plan.snapshot(), request.hosts(), request.s3().bucket(),
                request.s3().basePath());
        return plan;
    }

    public void snapshotTaken(BackupPlan plan, String host) {
        plan.snapshotTaken(host);
    }

    public void cleanupFailed(BackupPlan plan, String host, String reason) {
        LOG.warn("could not clear snapshot {} on {}: {}", plan.snapshot(), host, reason);
        plan.cleanupFailed(host, reason);
    }

    public boolean allHostsSucceeded(BackupOutcome outcome, BackupPlan plan) {
        return outcome.allHostsSucceeded(plan.hosts());
    }

    public void metadataFailed(BackupOutcome outcome, String reason) {
        outcome.metadataFailed(reason);
    }

    public boolean readyForManifest(BackupOutcome outcome, BackupPlan plan) {
        return outcome.allHostsSucceeded(plan.hosts()) && outcome.metadataError() == null;
    }

    public void manifestWritten(BackupOutcome outcome) {
        outcome.manifestWritten();
    }
}
