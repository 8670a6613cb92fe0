package io.github.cassandrasnapshotter.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.manifest.RunEntry;
import io.github.cassandrasnapshotter.manifest.RunStatus;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;
import io.github.cassandrasnapshotter.validate.SnapshotName;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code snapshotter-list} route's bean: reads the catalog of a base path into a {@link BackupListing}. */
public final class BackupLister {
    static final String OURS = "cassandra-snapshotter";
    static final String OLD_TOOL = "cassandra_snapshotter 1.x";

    private final S3Client s3;
    private final ObjectMapper json;

    public BackupLister(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    public BackupListing list(S3Settings settings) throws InterruptedException {
        BucketReader bucket = new BucketReader(s3, settings.bucket(), json);
        BackupCatalog catalog = new BackupCatalog(bucket, settings.basePath());
        // The backup runs' catalog, when it can be trusted: one request for all the snapshots it holds.
        Map<String, BackupListing.Snapshot> indexed = new HashMap<>();
        CatalogIndex.trusted(bucket, catalog.keys())
                .ifPresent(index -> index.snapshots().forEach(s -> indexed.put(s.name(), s)));
        List<Object> read = catalog.forEachSnapshot(name -> {
            if (indexed.containsKey(name)) {
                return indexed.get(name);
            }
            SnapshotManifest manifest;
            try {
                manifest = catalog.manifest(name).orElse(null);
            } catch (UnreadableObjectException e) {
                return entry(catalog.read(name, null, e.getMessage()));
            }
            // A complete snapshot of ours lists its runs in its manifest: one request for it.
            if (manifest != null && listsItsRuns(manifest)) {
                return entry(manifest);
            }
            SnapshotRecord record = catalog.read(name, manifest);
            return record.purged() ? record : entry(record);
        });
        List<BackupListing.Snapshot> snapshots = new ArrayList<>();
        List<String> purged = new ArrayList<>();
        long objects = 0;
        long bytes = 0;
        for (Object folder : read) {
            if (folder instanceof SnapshotRecord record) {
                // Purged: no snapshot, only objects newer snapshots refer to; summed up, not listed.
                purged.add(0, record.name());
                objects += record.legacyObjects();
                bytes += record.legacyStoredBytes();
            } else {
                snapshots.add((BackupListing.Snapshot) folder);
            }
        }
        return new BackupListing(settings.bucket(), settings.basePath(), snapshots,
                purged.isEmpty() ? null : new BackupListing.PurgedFolders(purged, objects, bytes));
    }

    /** A complete snapshot's manifest written by this version: it lists its incremental runs. */
    static boolean listsItsRuns(SnapshotManifest manifest) {
        return manifest.files() != null && manifest.incrementalRuns() != null;
    }

    static BackupListing.Snapshot entry(SnapshotManifest manifest) {
        List<BackupListing.Run> runs = new ArrayList<>();
        for (RunEntry run : manifest.incrementalRuns()) {
            runs.add(new BackupListing.Run(run.runId(), SnapshotName.isName(run.runId())
                    ? SnapshotName.timeOf(run.runId()).toString() : null,
                    run.status() == RunStatus.COMPLETE ? BackupListing.Status.COMPLETE : BackupListing.Status.FAILED,
                    run.files(), run.bytes(), run.storedBytes(), run.failedHosts(), null));
        }
        return new BackupListing.Snapshot(manifest.name(), SnapshotName.timeOf(manifest.name()).toString(),
                BackupListing.Status.COMPLETE, OURS, manifest.hosts(), null, manifest.keyspaces(),
                manifest.table() == null ? "" : manifest.table(), manifest.files(), manifest.bytes(),
                manifest.storedBytes() == null ? 0 : manifest.storedBytes(), runs, null);
    }

    static BackupListing.Snapshot entry(SnapshotRecord record) {
        List<BackupListing.Run> runs = new ArrayList<>();
        for (RunRecord run : record.incrementalRuns()) {
            runs.add(new BackupListing.Run(run.runId(), SnapshotName.isName(run.runId())
                    ? SnapshotName.timeOf(run.runId()).toString() : null, status(run), run.files(), run.bytes(),
                    run.storedBytes(), run.failedHosts().isEmpty() ? null : run.failedHosts(), run.unreadable()));
        }
        BackupListing.Status status = record.unreadableManifest() != null ? BackupListing.Status.UNREADABLE
                : record.complete() ? BackupListing.Status.COMPLETE : BackupListing.Status.INCOMPLETE;
        List<String> unreadable = record.unreadable().isEmpty() ? null : record.unreadable();
        List<String> keyspaces = record.manifest() == null ? null : record.manifest().keyspaces();
        if (record.legacy()) {
            return new BackupListing.Snapshot(record.name(), record.time().toString(), status, OLD_TOOL,
                    record.hosts(), null, keyspaces, record.table(), record.legacyObjects(), null,
                    record.legacyStoredBytes(), runs, unreadable);
        }
        RunRecord snapshotRun = record.snapshotRun().orElse(null);
        List<String> missing = record.missingHosts();
        return new BackupListing.Snapshot(record.name(), record.time().toString(), status, OURS, record.hosts(),
                status == BackupListing.Status.COMPLETE ? null : missing, keyspaces, record.table(),
                snapshotRun == null ? 0 : snapshotRun.files(), snapshotRun == null ? 0 : snapshotRun.bytes(),
                snapshotRun == null ? 0 : snapshotRun.storedBytes(), runs, unreadable);
    }

    private static BackupListing.Status status(RunRecord run) {
        if (run.unreadable() != null) {
            return BackupListing.Status.UNREADABLE;
        }
        if (run.summary() == null) {
            return BackupListing.Status.INTERRUPTED;
        }
        return run.complete() ? BackupListing.Status.COMPLETE : BackupListing.Status.FAILED;
    }
}
