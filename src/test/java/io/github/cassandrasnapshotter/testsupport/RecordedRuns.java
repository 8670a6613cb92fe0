package io.github.cassandrasnapshotter.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.agent.NodeFile;
import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupPlanner;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.backup.FencedWrites;
import io.github.cassandrasnapshotter.backup.HostResult;
import io.github.cassandrasnapshotter.backup.RunLocks;
import io.github.cassandrasnapshotter.backup.RunMetadata;
import io.github.cassandrasnapshotter.backup.SnapshotChoice;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.CatalogIndex;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.agent.HostFileManifest;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.MetadataObjects;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backup runs recorded in a test bucket as the backup route records them once its agents are done:
 * each host's file list as its agent stores it, then the run summary, manifest.json (or the snapshot's
 * manifest with the run added), the catalog index and the status, through the route's own beans
 * ({@link RunMetadata}, {@link FencedWrites}, {@link CatalogIndex}) under the base path's real lock. No
 * node is involved and no data object is stored: only the records that planners and list read.
 */
public final class RecordedRuns {
    /** Where the files of the recorded nodes are. */
    public static final String DATA = "/var/lib/cassandra/data";

    private final S3Client s3;
    private final ObjectMapper json = new ObjectMapper();
    private final MetadataObjects objects;
    private final BackupPlanner planner;

    public RecordedRuns(S3Client s3) {
        this.s3 = s3;
        this.objects = new MetadataObjects(s3);
        this.planner = new BackupPlanner(Clock.systemUTC(), s3, json, new ProgressReporter(new PrintStream(OutputStream.nullOutputStream()), true));
    }

    /** A run of {@code request} that takes a new snapshot at {@code time}. */
    public Run snapshot(BackupRequest request, Instant time) {
        return new Run(request, time, null);
    }

    /** A run of {@code request} that adds an incremental run to {@code snapshot} at {@code time}. */
    public Run incremental(BackupRequest request, String snapshot, Instant time) {
        return new Run(request, time, snapshot);
    }

    /** One run: the same files from every host, unless a host failed. */
    public final class Run {
        private final BackupRequest request;
        private final Instant time;
        private final String parent;
        private final List<String[]> files = new ArrayList<>();
        private final Set<String> failedHosts = new HashSet<>();
        private boolean withObjects;

        private Run(BackupRequest request, Instant time, String parent) {
            this.request = request;
            this.time = time;
            this.parent = parent;
        }

        /** A file of the table folder {@code <table>-<id>} that each host stored in this run. */
        public Run file(String keyspace, String tableDirectory, String name) {
            files.add(new String[]{keyspace, tableDirectory, name});
            return this;
        }

        /** Stores each file's object too (a few bytes), as a purge or a listing of objects needs them. */
        public Run withObjects() {
            withObjects = true;
            return this;
        }

        /** The host's agent failed: it stored no file list, and the run is not complete. */
        public Run failedOn(String host) {
            failedHosts.add(host);
            return this;
        }

        /** Writes the run's records; returns its plan (snapshot and run id). */
        public BackupPlan write() {
            BackupPlan plan = new BackupPlan(request, time, choice(), Map.of());
            BackupOutcome outcome = new BackupOutcome();
            RunMetadata metadata = new RunMetadata(json);
            FencedWrites fenced = new FencedWrites(objects, json);
            try (RunLock lock = new RunLocks(s3, Clock.systemUTC()).acquire(request)) {
                for (String host : plan.hosts()) {
                    outcome.add(failedHosts.contains(host) ? HostResult.hostFailed(host, "the agent stopped")
                            : new HostResult(host, storeFileList(plan, host), List.of(), null));
                }
                planner.checkLock(outcome, lock);
                fenced.summary(metadata.summary(outcome, plan), outcome, plan, lock);
                planner.summaryWritten(outcome, plan);
                if (plan.incremental()) {
                    fenced.addRun(metadata.runEntry(outcome, plan), outcome, plan, lock);
                } else if (planner.readyForManifest(outcome, plan)) {
                    fenced.createManifest(metadata.manifest(outcome, plan), plan, lock);
                    planner.manifestWritten(outcome);
                }
                objects.put(request.s3(), new CatalogIndex(s3, json).afterRun(plan));
                metadata.status(outcome, plan).forEach(status -> objects.put(request.s3(), status));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return plan;
        }

        private SnapshotChoice choice() {
            if (parent == null) {
                return SnapshotChoice.newSnapshot("recorded by the test");
            }
            BackupCatalog catalog = new BackupCatalog(new BucketReader(s3, request.s3().bucket(), json),
                    request.s3().basePath());
            return SnapshotChoice.incremental(catalog.read(parent), "recorded by the test");
        }

        /** The host's file list, stored as its agent stores it ({@code FileListWriter}). */
        private List<FileResult> storeFileList(BackupPlan plan, String host) {
            StorageKeys keys = new StorageKeys(request.s3().basePath());
            List<FileResult> stored = new ArrayList<>();
            for (String[] file : files) {
                String folder = DATA + "/" + file[0] + "/" + file[1] + (plan.kind() == FileKind.SNAPSHOT
                        ? "/snapshots/" + plan.snapshot() : "/backups");
                NodeFile node = new NodeFile(Path.of(folder, file[2]), file[0], file[1].replaceFirst("-[0-9a-f]{32}$", ""),
                        file[2], plan.kind());
                String key = keys.dataKey(plan.snapshot(), host, node.path().toString(), Compression.LZO);
                long size = 1000 + file[2].length();
                if (withObjects) {
                    s3.putObject(b -> b.bucket(request.s3().bucket()).key(key), RequestBody.fromBytes(new byte[(int) size / 2]));
                }
                stored.add(FileResult.uploaded(node, key, size, size / 2, sha256(host + node.path()),
                        time.toEpochMilli(), Compression.LZO.label(), 1, null));
            }
            HostFileManifest list = new HostFileManifest(host, plan.snapshot(), plan.runId(), plan.kind(), stored,
                    List.of(), null);
            try {
                ObjectTarget.of(request.s3(), keys.runHostKey(plan.snapshot(), plan.runId(), host))
                        .put(s3, json.writeValueAsBytes(list), "application/json");
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return stored;
        }
    }

    /** A stand-in for a file's SHA-256, different per host and path. */
    private static String sha256(String text) {
        try {
            return S3Objects.sha256(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes put at {@code key} as they are, as someone who can write to the bucket might (a damaged record). */
    public void overwrite(BackupRequest request, String key, String content) {
        s3.putObject(b -> b.bucket(request.s3().bucket()).key(key), RequestBody.fromString(content));
    }
}
