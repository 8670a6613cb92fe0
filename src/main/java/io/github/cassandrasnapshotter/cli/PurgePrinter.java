package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.manifest.PurgeReport;
import io.github.cassandrasnapshotter.util.Sizes;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** A purge report for people: what was kept and why, what went, and what could not be deleted. */
final class PurgePrinter {
    private final PrintStream out;

    PurgePrinter(PrintStream out) {
        this.out = out;
    }

    void print(PurgeReport report) {
        String where = "s3://" + report.bucket() + "/" + report.basePath();
        out.println((report.dryRun() ? "purge --dry-run of " : "purge of ") + where + " with " + report.policy());
        for (Map.Entry<String, List<String>> kept : report.kept().entrySet()) {
            out.println("  keep   " + kept.getKey() + "  " + String.join(", ", kept.getValue()));
        }
        for (String purged : report.purged()) {
            out.println("  " + (report.dryRun() ? "delete " : "deleted") + " " + purged);
        }
        out.println((report.dryRun() ? "would delete " : "deleted ") + report.purged().size() + (report.purged().size() == 1 ? " snapshot, " : " snapshots, ")
                + report.objectsDeleted() + " objects, " + Sizes.human(report.bytesDeleted())
                + (report.referenced() > 0 ? "; " + report.referenced() + " objects kept: a kept snapshot refers to them" : "")
                + "; " + report.uploadsAborted() + " unfinished multipart uploads " + (report.dryRun() ? "to abort" : "aborted"));
        if (!report.keptByRule().isEmpty()) {
            StringBuilder rules = new StringBuilder("kept by rule:");
            report.keptByRule().forEach((rule, count) -> rules.append(' ').append(rule).append('=').append(count));
            out.println(rules);
        }
        if (!report.failed().isEmpty()) {
            out.println("not deleted (" + report.failed().size() + "); the next purge tries again:");
            report.failed().forEach((key, why) -> out.println("  " + key + ": " + why));
        }
    }
}
