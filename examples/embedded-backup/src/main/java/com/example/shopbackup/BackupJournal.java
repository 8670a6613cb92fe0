package com.example.shopbackup;

import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.HostResult;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One line per backup, kept by the application: what a complete backup stored, or which hosts failed. */
public final class BackupJournal {
    private final List<String> entries = new ArrayList<>();

    public synchronized SnapshotManifest record(BackupOutcome outcome) {
        if (outcome.manifest().isEmpty()) {
            String failed = outcome.hosts().stream().filter(h -> !h.ok()).map(HostResult::host)
                    .collect(Collectors.joining(", "));
            entries.add("FAILED: " + (failed.isEmpty() ? "metadata not written" : failed));
            throw new IllegalStateException("backup failed on: " + (failed.isEmpty() ? "metadata" : failed));
        }
        SnapshotManifest manifest = outcome.manifest().get();
        entries.add(manifest.name() + ": " + manifest.files() + " files, " + manifest.bytes() + " bytes");
        return manifest;
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }
}
