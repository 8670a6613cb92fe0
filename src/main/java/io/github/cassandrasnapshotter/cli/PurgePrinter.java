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
        if (!report.holdingFolders().isEmpty()) {
            long objects = report.holdingFolders().values().stream().mapToLong(Long::longValue).sum();
            out.println(report.holdingFolders().size() + " purged snapshot folder"
                    + (report.holdingFolders().size() == 1 ? " " : "s ") + (report.dryRun() ? "would " : "")
                    + (report.dryRun() || report.holdingFolders().size() != 1 ? "hold " : "holds ") + objects
                    + " objects that newer snapshots refer to (" + String.join(", ", report.holdingFolders().keySet()) + ")");
        }
        if (!report.emptiedFolders().isEmpty()) {
            out.println((report.dryRun() ? "would empty " : "emptied ") + report.emptiedFolders().size()
                    + " purged snapshot folder(s) that no snapshot refers to any more: "
                    + String.join(", ", report.emptiedFolders()));
        }
        if (!report.ok()) {
            out.println("not deleted: " + report.notDeletedCount() + " keys; the next purge tries again:");
            report.notDeleted().forEach((folder, keys) -> {
                out.println("  " + folder + ": " + keys.count() + " keys"
                        + (keys.count() > keys.first().size() ? ", the first " + keys.first().size() + ":" : ":"));
                keys.first().forEach((key, why) -> out.println("    " + key + ": " + why));
            });
        }
    }
}
