package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.catalog.BackupListing;
import io.github.cassandrasnapshotter.util.Sizes;

import java.io.PrintStream;
import java.util.List;

/** {@code list}'s text: one line per snapshot, one indented line per incremental run. */
final class ListingPrinter {
    private final PrintStream out;

    ListingPrinter(PrintStream out) {
        this.out = out;
    }

    void print(BackupListing listing) {
        String where = "s3://" + listing.bucket() + "/" + listing.basePath();
        if (listing.snapshots().isEmpty()) {
            out.println("no snapshots under " + where);
            printPurged(listing.purgedFolders());
            return;
        }
        long complete = listing.snapshots().stream().filter(s -> s.status() == BackupListing.Status.COMPLETE).count();
        out.println(listing.snapshots().size() + " snapshot(s) under " + where + ", " + complete + " complete, newest first:");
        for (BackupListing.Snapshot snapshot : listing.snapshots()) {
            String bytes = snapshot.bytes() == null ? Sizes.human(snapshot.storedBytes()) + " stored"
                    : Sizes.human(snapshot.bytes());
            out.printf("%s  %s  %-10s %5d files %10s  hosts: %s  keyspaces: %s  table: %s%s%n",
                    snapshot.name(), snapshot.time().replace("T", " ").replace("Z", " UTC"), snapshot.status().name().toLowerCase(),
                    snapshot.files(), bytes, String.join(",", snapshot.hosts()), all(snapshot.keyspaces()),
                    snapshot.table() == null || snapshot.table().isEmpty() ? "all" : snapshot.table(),
                    suffix(snapshot));
            for (BackupListing.Run run : snapshot.runs()) {
                out.printf("  + incremental %s  %-11s %5d files %10s%s%n", run.runId(),
                        run.status().name().toLowerCase(), run.files(), Sizes.human(run.bytes()),
                        run.failedHosts() == null ? "" : "  failed hosts: " + String.join(",", run.failedHosts()));
            }
            if (snapshot.unreadable() != null) {
                snapshot.unreadable().forEach(problem -> out.println("  ! unreadable: " + problem));
            }
        }
        printPurged(listing.purgedFolders());
    }

    /** One line for the purged folders, which are no snapshots: what they still hold for newer ones. */
    private void printPurged(BackupListing.PurgedFolders purged) {
        if (purged == null) {
            return;
        }
        int folders = purged.names().size();
        out.println(folders + (folders == 1 ? " purged snapshot folder still holds " : " purged snapshot folders still hold ")
                + purged.objects() + (purged.objects() == 1 ? " object (" : " objects (") + Sizes.human(purged.storedBytes())
                + ") that newer snapshots refer to");
    }

    private static String suffix(BackupListing.Snapshot snapshot) {
        StringBuilder text = new StringBuilder();
        if (snapshot.missingHosts() != null && !snapshot.missingHosts().isEmpty()) {
            text.append("  missing hosts: ").append(String.join(",", snapshot.missingHosts()));
        } else if (snapshot.status() == BackupListing.Status.INCOMPLETE) {
            text.append("  (no manifest.json)");
        }
        if (!"cassandra-snapshotter".equals(snapshot.writtenBy())) {
            text.append("  [").append(snapshot.writtenBy()).append("]");
        }
        return text.toString();
    }

    private static String all(List<String> values) {
        return values == null || values.isEmpty() ? "all" : String.join(",", values);
    }
}
