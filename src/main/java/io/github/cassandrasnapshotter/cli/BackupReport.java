package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.HostResult;
import io.github.cassandrasnapshotter.storage.LockHeldException;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.util.Sizes;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The summary a backup prints when it ends, and its exit status. */
final class BackupReport {
    /** Failed files listed per host before the rest are only counted. */
    private static final int MAX_FILES_LISTED = 20;

    private final PrintStream out;

    BackupReport(PrintStream out) {
        this.out = out;
    }

    int print(BackupPlan plan, BackupOutcome outcome, Exception failure) {
        if (plan == null) {
            boolean skipped = failure != null && (failure instanceof LockHeldException
                    || failure.getCause() instanceof LockHeldException);
            out.println((skipped ? "backup skipped: " : "backup failed before it started: ") + message(failure));
            return ExitCode.FAILED;
        }
        boolean complete = failure == null && outcome != null && outcome.complete();
        long seconds = Math.max(1, Duration.between(plan.started(), Instant.now()).toSeconds());
        String where = "s3://" + plan.s3().bucket() + "/"
                + new StorageKeys(plan.s3().basePath()).snapshotPrefix(plan.snapshot());
        String what = plan.incremental()
                ? "incremental run " + plan.runId() + " of snapshot " + plan.snapshot()
                : "snapshot " + plan.snapshot();
        out.println("backup " + what + " of " + plan.hosts().size() + " host(s): "
                + (complete ? "COMPLETE" : "FAILED") + " in " + seconds + " s");
        out.println("  " + (plan.incremental() ? "incremental: " : "new snapshot: ") + plan.choice().reason());
        long bytes = 0;
        long stored = 0;
        long sent = 0;
        long copied = 0;
        long referenced = 0;
        if (outcome != null) {
            for (HostResult host : outcome.hosts()) {
                bytes += host.bytes();
                stored += host.storedBytes();
                sent += host.sentBytes();
                copied += host.reusedBytes();
                referenced += host.referencedBytes();
                out.printf("  %-24s %-6s %5d files  %10s -> %10s stored (%s sent, %d files %s referenced, %d files %s copied in the store)%n",
                        host.host(), host.ok() ? "ok" : "FAILED", host.uploaded().size(), Sizes.human(host.bytes()),
                        Sizes.human(host.storedBytes()), Sizes.human(host.sentBytes()), host.referencedFiles(),
                        Sizes.human(host.referencedBytes()), host.reusedFiles(), Sizes.human(host.reusedBytes()));
                if (plan.incremental()) {
                    out.println("      " + host.linksRemoved() + " backups/ links removed: "
                            + (host.linksRemoved() - host.coveredLinks()) + " after their upload, "
                            + host.coveredLinks() + " of SSTables the snapshot already holds");
                }
                if (host.error() != null) {
                    out.println("      host failed: " + host.error());
                }
                for (String warning : host.warnings()) {
                    out.println("      WARNING: " + warning);
                }
                for (String linkError : host.linkErrors()) {
                    out.println("      WARNING: " + linkError + " (uploaded; removing it is tried again next run)");
                }
                int listed = 0;
                for (FileResult file : host.failed()) {
                    if (listed++ == MAX_FILES_LISTED) {
                        out.println("      ... and " + (host.failed().size() - MAX_FILES_LISTED) + " more failed files");
                        break;
                    }
                    out.println("      file failed: " + file.path() + ": " + file.error());
                }
            }
            if (outcome.metadataError() != null) {
                out.println("  metadata failed: " + outcome.metadataError());
            }
            if (outcome.lockError() != null) {
                out.println("  run stopped: " + outcome.lockError());
            }
        }
        if (failure != null) {
            out.println("  run failed: " + message(failure));
        }
        for (Map.Entry<String, String> cleanup : plan.cleanupFailures().entrySet()) {
            out.println("  WARNING: snapshot " + plan.snapshot() + " is still on " + cleanup.getKey()
                    + " (clear it with nodetool clearsnapshot -t " + plan.snapshot() + "): " + cleanup.getValue());
        }
        out.println("  " + Sizes.human(bytes) + " backed up, " + Sizes.human(stored) + " stored: "
                + Sizes.human(sent) + " sent from the nodes, " + Sizes.human(referenced) + " referenced (stored once, "
                + "by an earlier backup), " + Sizes.human(copied) + " copied in the store; "
                + Sizes.human(bytes / seconds) + "/s");
        if (plan.storedObjects().reason() != null && copied > 0) {
            out.println("  copied, not referenced: " + plan.storedObjects().reason());
        }
        StorageKeys keys = new StorageKeys(plan.s3().basePath());
        if (complete) {
            out.println("  " + (plan.incremental()
                    ? "run summary: s3://" + plan.s3().bucket() + "/" + keys.runSummaryKey(plan.snapshot(), plan.runId())
                    : "manifest: " + where + StorageKeys.MANIFEST));
            return ExitCode.OK;
        }
        out.println(plan.incremental()
                ? "  incremental run incomplete: its files that did upload are kept; run the backup again"
                : "  no manifest.json written: this snapshot is incomplete; run the backup again");
        return ExitCode.FAILED;
    }

    private static String message(Exception failure) {
        if (failure == null) {
            return "unknown error";
        }
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
