package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.restore.RestoreException;
import io.github.cassandrasnapshotter.restore.RestoreOutcome;
import io.github.cassandrasnapshotter.restore.RestorePlan;
import io.github.cassandrasnapshotter.util.RootCause;
import io.github.cassandrasnapshotter.util.Sizes;
import org.apache.camel.Exchange;

import java.io.PrintStream;
import java.util.List;

/** What restore and verify print when they end, and their exit status. */
final class RestoreReport {
    private static final int MAX_LISTED = 20;

    private final PrintStream out;
    private final PrintStream err;

    RestoreReport(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** @return the exit status, or -1 when the run got to the files (the caller prints its own summary) */
    int failedBeforeFiles(Exchange done) {
        Exception failure = done.getException();
        if (failure == null) {
            return -1;
        }
        Throwable cause = RootCause.of(failure);
        err.println("cassandra-snapshotter: " + (cause instanceof RestoreException ? "" : "failed: ") + cause.getMessage());
        return cause instanceof RestoreException ? ExitCode.USAGE : ExitCode.FAILED;
    }

    /** @param skippedAs how to label the newer snapshots LATEST passed over: NOTE for a restore, FAILED for verify */
    void header(String what, RestorePlan plan, String skippedAs) {
        out.println(what + " snapshot " + plan.snapshot() + (plan.runs().size() > 1
                ? " with incremental runs " + String.join(", ", plan.runs().subList(1, plan.runs().size())) : "")
                + ": " + plan.files().size() + " files of " + plan.hosts().size() + " host(s), " + Sizes.human(plan.bytes()));
        plan.skipped().forEach(skipped -> out.println("  " + skippedAs + ": " + skipped));
        plan.notes().forEach(note -> out.println("  NOTE: " + note));
    }

    /** Lists the failures; returns the exit status. */
    int failures(RestoreOutcome outcome, RestorePlan plan) {
        List<String> failures = outcome.failures();
        int listed = 0;
        for (String failure : failures) {
            if (listed++ == MAX_LISTED) {
                out.println("  ... and " + (failures.size() - MAX_LISTED) + " more");
                break;
            }
            out.println("  FAILED: " + failure);
        }
        return outcome.ok(plan.files().size()) ? ExitCode.OK : ExitCode.FAILED;
    }

    static String counts(RestoreOutcome outcome) {
        return outcome.count(DownloadResult.Status.DOWNLOADED) + " downloaded ("
                + Sizes.human(outcome.bytes(DownloadResult.Status.DOWNLOADED)) + "), "
                + outcome.count(DownloadResult.Status.ALREADY_PRESENT) + " already in place, "
                + outcome.count(DownloadResult.Status.FAILED) + " failed";
    }
}
