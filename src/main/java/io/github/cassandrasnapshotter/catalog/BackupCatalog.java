package io.github.cassandrasnapshotter.catalog;

import io.github.cassandrasnapshotter.agent.HostFileManifest;
import io.github.cassandrasnapshotter.manifest.PurgeTombstone;
import io.github.cassandrasnapshotter.manifest.RunSummary;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;
import io.github.cassandrasnapshotter.util.DaemonThreads;
import io.github.cassandrasnapshotter.validate.SnapshotName;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The backups under one base path: snapshot folders, their manifests and their runs. Reading a
 * snapshot costs a GET of its manifest, a listing of its {@code _runs/} and a GET per run summary;
 * data objects are never requested one by one.
 */
public final class BackupCatalog {
    /** Snapshots read at once when the whole catalog is listed. */
    private static final int READERS = 16;

    private final BucketReader bucket;
    private final StorageKeys keys;

    public BackupCatalog(BucketReader bucket, String basePath) {
        this.bucket = bucket;
        this.keys = new StorageKeys(basePath);
    }

    public StorageKeys keys() {
        return keys;
    }

    /** Snapshot folder names, newest first. */
    public List<String> snapshotNames() {
        List<String> names = new ArrayList<>();
        String base = keys.basePrefix();
        for (String folder : bucket.folders(base)) {
            String name = folder.substring(base.length(), folder.length() - 1);
            if (SnapshotName.isName(name)) {
                names.add(name);
            }
        }
        names.sort(Comparator.reverseOrder());
        return names;
    }

    /** A snapshot: never fails for an unreadable object of its own, which the record names instead. */
    public SnapshotRecord read(String snapshot) {
        try {
            return read(snapshot, manifest(snapshot).orElse(null));
        } catch (UnreadableObjectException e) {
            return read(snapshot, null, e.getMessage());
        }
    }

    /** A snapshot whose manifest was already read (null when it has none). */
    public SnapshotRecord read(String snapshot, SnapshotManifest manifest) {
        return read(snapshot, manifest, null);
    }

    /** @param unreadableManifest why its manifest.json cannot be used, then {@code manifest} is null */
    public SnapshotRecord read(String snapshot, SnapshotManifest manifest, String unreadableManifest) {
        String runsPrefix = keys.snapshotPrefix(snapshot) + StorageKeys.RUNS + "/";
        Map<String, List<String>> hostsByRun = new TreeMap<>();
        Map<String, Boolean> summaries = new TreeMap<>();
        boolean tombstone = false;
        // The old tool's manifests (no format) have no runs unless this tool added incremental runs to them.
        boolean mayHaveRuns = manifest == null || manifest.format() != null || manifest.incrementalRuns() != null;
        for (S3Object object : mayHaveRuns ? bucket.objects(runsPrefix) : List.<S3Object>of()) {
            String[] parts = object.key().substring(runsPrefix.length()).split("/");
            if (parts.length == 1 && parts[0].equals(StorageKeys.PURGED)) {
                tombstone = true; // seen in this listing: no request of its own
                continue;
            }
            if (parts.length != 2) {
                continue;
            }
            hostsByRun.computeIfAbsent(parts[0], r -> new ArrayList<>());
            if (parts[1].equals(StorageKeys.RUN_SUMMARY)) {
                summaries.put(parts[0], true);
            } else if (parts[1].endsWith(".json")) {
                hostsByRun.get(parts[0]).add(parts[1].substring(0, parts[1].length() - ".json".length()));
            }
        }
        List<RunRecord> runs = new ArrayList<>();
        for (Map.Entry<String, List<String>> run : hostsByRun.entrySet()) {
            RunSummary summary = null;
            String unreadable = null;
            if (summaries.containsKey(run.getKey())) {
                try {
                    summary = bucket.readJson(keys.runSummaryKey(snapshot, run.getKey()), RunSummary.class).orElse(null);
                } catch (UnreadableObjectException e) {
                    unreadable = e.getMessage();
                }
            }
            runs.add(new RunRecord(run.getKey(), summary, run.getValue(), unreadable));
        }
        int legacyObjects = 0;
        long legacyBytes = 0;
        if (runs.isEmpty()) {
            for (S3Object object : bucket.objects(keys.snapshotPrefix(snapshot))) {
                if (keys.isDataKey(snapshot, object.key())) {
                    legacyObjects++;
                    legacyBytes += object.size();
                }
            }
        }
        return new SnapshotRecord(snapshot, manifest, runs, legacyObjects, legacyBytes, unreadableManifest, tombstone);
    }

    /** Every snapshot, newest first, read {@value #READERS} at a time. */
    public List<SnapshotRecord> readAll() throws InterruptedException {
        return forEachSnapshot(this::read);
    }

    /** {@code reader} applied to every snapshot name, newest first, {@value #READERS} at a time. */
    public <T> List<T> forEachSnapshot(Function<String, T> reader) throws InterruptedException {
        List<String> names = snapshotNames();
        ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, Math.min(READERS, names.size())),
                DaemonThreads.named("catalog-reader"));
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(readers.submit(() -> reader.apply(name)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            readers.shutdownNow();
        }
    }

    /** @throws UnreadableObjectException when it exists and cannot be used */
    public Optional<SnapshotManifest> manifest(String snapshot) {
        return bucket.readJson(keys.manifestKey(snapshot), SnapshotManifest.class);
    }

    /** A purged folder's tombstone. @throws UnreadableObjectException when it exists and cannot be used */
    public Optional<PurgeTombstone> tombstone(String snapshot) {
        return bucket.readJson(keys.purgedKey(snapshot), PurgeTombstone.class);
    }

    /** @throws UnreadableObjectException when it exists and cannot be used */
    public Optional<HostFileManifest> hostFiles(String snapshot, String runId, String host) {
        return bucket.readJson(keys.runHostKey(snapshot, runId, host), HostFileManifest.class);
    }
}
