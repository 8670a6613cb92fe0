package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.Version;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.storage.MultipartUploadStream;
import io.github.cassandrasnapshotter.storage.PartBufferPool;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.ServerSideCopy;
import io.github.cassandrasnapshotter.storage.StoredObjectCheck;
import io.github.cassandrasnapshotter.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The node side of a run: finds this node's files and uploads each straight to S3, reporting one
 * event per file. Runs in its own JVM on the node (over SSH) or in-process in local mode.
 */
public final class NodeAgent {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    static final long PROGRESS_INTERVAL_MS = 2000;

    private NodeAgent() {
    }

    /** Runs the job to its end; returns the number of failed files, or -1 when the run could not start. */
    public static int run(AgentJob job, Consumer<AgentEvent> events) throws InterruptedException {
        return run(job, events, AgentStop.never());
    }

    /**
     * Runs the job until it ends or {@code stop} is requested; returns the number of failed files, or -1
     * when the run could not start or its file list could not be stored. Links are removed last, after
     * the file list that names their objects is stored, and not once a stop was requested.
     */
    public static int run(AgentJob job, Consumer<AgentEvent> events, AgentStop stop) throws InterruptedException {
        java.util.Optional<String> refusal = Version.jobRefusal(job.version(), job.host());
        if (refusal.isPresent()) {
            events.accept(AgentEvent.error(refusal.get()));
            return -1;
        }
        List<NodeFile> files;
        Map<NodeFile, Long> sizes = new HashMap<>();
        long totalBytes = 0;
        long largest = 0;
        String warning = null;
        try {
            List<Path> dataDirectories = CassandraYaml.dataDirectories(Path.of(job.cassandraConfPath()));
            Optional<String> asRoot = NodeUser.refusal(dataDirectories, job.host());
            if (asRoot.isPresent()) {
                events.accept(AgentEvent.error(asRoot.get()));
                return -1;
            }
            if (job.kind() == FileKind.INCREMENTAL && !CassandraYaml.incrementalBackups(Path.of(job.cassandraConfPath()))) {
                warning = "incremental_backups is not enabled in " + Path.of(job.cassandraConfPath()).resolve("cassandra.yaml")
                        + " on " + job.host() + ": incremental runs find no new SSTables there";
            }
            files = job.kind() == FileKind.SNAPSHOT
                    ? SnapshotFileFinder.snapshotFiles(dataDirectories, job.snapshot(), job.filter())
                    : SnapshotFileFinder.incrementalFiles(dataDirectories, job.filter());
            for (NodeFile file : files) {
                long size = Files.isRegularFile(file.path()) ? Files.size(file.path()) : 0;
                sizes.put(file, size);
                totalBytes += size;
                largest = Math.max(largest, size);
            }
        } catch (Exception e) {
            events.accept(AgentEvent.error("cannot list files on " + job.host() + ": " + e.getMessage()));
            return -1;
        }
        if (files.isEmpty() && job.kind() == FileKind.SNAPSHOT) {
            // nodetool snapshot leaves at least Cassandra's own manifest.json in every table's snapshot folder
            events.accept(AgentEvent.error("snapshot " + job.snapshot() + " has no file on " + job.host() + " under "
                    + dataDirectoriesOf(job) + ": check that --cassandra-conf-path (now " + job.cassandraConfPath()
                    + ") names the folder of this node's cassandra.yaml, and its data_file_directories"));
            return -1;
        }
        events.accept(AgentEvent.start(Version.CURRENT, files.size(), totalBytes, warning));
        // The start event carries these figures to the controller, which prints them.
        LOG.debug("{}: {} files, {} bytes to upload", job.host(), files.size(), totalBytes);

        int filesAtOnce = Math.max(1, job.filesAtOnce());
        int partsInFlight = Math.max(1, job.partsInFlight());
        Compression compression = job.compression();
        int partSize = partSize(job.partSizeMb(), compression.maxStoredSize(largest));
        if (partSize > job.partSizeMb() * MB) {
            LOG.info("{}: parts of {} MB: a file of {} bytes needs them to stay within {} parts", job.host(),
                    partSize / MB, largest, MultipartUploadStream.MAX_PARTS);
        }
        // Memory is bounded by the part size: every file being read fills one buffer, and at most
        // partsInFlight parts of all files together are uploading; one large file alone gets them all.
        PartBufferPool pool = new PartBufferPool(partSize, partsInFlight + filesAtOnce);
        LongAdder bytesRead = new LongAdder();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService fileWorkers = Executors.newFixedThreadPool(filesAtOnce, DaemonThreads.named("file-upload"));
        ExecutorService partWorkers = Executors.newFixedThreadPool(partsInFlight, DaemonThreads.named("part-upload"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("progress"));
        S3Client s3 = S3ClientFactory.create(job.s3(), partsInFlight + filesAtOnce + 2);
        try {
            FileUploader uploader = new FileUploader(s3, job.s3(), job.snapshot(), job.host(),
                    compression, pool, partWorkers, partsInFlight,
                    job.rateLimitKbps() > 0 ? new RateLimiter(job.rateLimitKbps()) : RateLimiter.unlimited(),
                    bytesRead, stop);
            FileBackup backup = new FileBackup(uploader, new ServerSideCopy(s3, partWorkers),
                    job.referToStored() ? new StoredObjectCheck(s3, job.s3().bucket(), job.s3().encryption()) : null,
                    new PriorFileIndex(job.priorFiles(), compression, job.s3().clientKeys()),
                    job.compareContent(), stop);
            ticker.scheduleAtFixedRate(() -> events.accept(AgentEvent.progress(done.get(), bytesRead.sum())),
                    PROGRESS_INTERVAL_MS, PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
            CompletionService<FileResult> results = new ExecutorCompletionService<>(fileWorkers);
            // Largest first: an unchanged file is one CopyObject inside the store, which no number of
            // workers splits, so a run ends no sooner than its largest copy that started last.
            List<NodeFile> submitted = new ArrayList<>(files);
            submitted.sort(Comparator.comparing((NodeFile file) -> sizes.get(file)).reversed());
            for (NodeFile file : submitted) {
                results.submit(() -> backup.store(file));
            }
            List<FileResult> all = new ArrayList<>(submitted.size());
            for (int i = 0; i < submitted.size(); i++) {
                FileResult result = take(results);
                all.add(result);
                done.incrementAndGet();
                if (!result.ok()) {
                    failed.incrementAndGet();
                    LOG.warn("{}: {}", job.host(), result.error());
                }
                events.accept(AgentEvent.file(result));
            }
            ticker.shutdownNow();
            // The record first, then the links: a link is removed only once a stored list names its object.
            String fileList;
            try {
                fileList = new FileListWriter(s3, job.s3(), JSON).write(fileList(job, all, stop), stop);
            } catch (UploadException e) {
                events.accept(AgentEvent.error(e.getMessage() + (job.kind() == FileKind.INCREMENTAL
                        ? "; no backups/ link was removed: the next run stores them again" : "")));
                events.accept(AgentEvent.done(done.get(), bytesRead.sum(), failed.get(), null, LinkRemover.Outcome.NONE));
                return -1;
            }
            LinkRemover.Outcome links = job.kind() == FileKind.INCREMENTAL && !stop.requested()
                    ? LinkRemover.removeAll(all, stop) : LinkRemover.Outcome.NONE;
            if (stop.requested()) {
                events.accept(AgentEvent.error(stop.reason()));
            }
            events.accept(AgentEvent.done(done.get(), bytesRead.sum(), failed.get(), fileList, links));
            return failed.get();
        } finally {
            ticker.shutdownNow();
            fileWorkers.shutdownNow();
            // Not shutdownNow: a part dropped from the queue would never complete, and its upload's abort
            // (which waits for every part to settle) would wait for it until the JVM exits, leaving the
            // upload open. Queued parts are at most parts-in-flight, already read: they end in seconds.
            partWorkers.shutdown();
            // An interrupted run's uploads abort themselves, with this client: it closes after them.
            settle(fileWorkers, partWorkers);
            s3.close();
        }
    }

    /** Waits a bounded time for the workers to end, even on an interrupted thread (whose interrupt is kept). */
    private static void settle(ExecutorService... workers) {
        boolean interrupted = Thread.interrupted();
        try {
            for (ExecutorService pool : workers) {
                if (!pool.awaitTermination(SETTLE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("workers still running {} s after the end of the run", SETTLE.toSeconds());
                }
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long the end of a run waits for its workers' aborts; less than the stopped agent's grace. */
    private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The host's file list of the run: every file stored (covered links are the parent snapshot's), every failure. */
    private static HostFileManifest fileList(AgentJob job, List<FileResult> results, AgentStop stop) {
        return new HostFileManifest(job.host(), job.snapshot(), job.runId(), job.kind(),
                results.stream().filter(FileResult::stored).toList(),
                results.stream().filter(r -> !r.ok()).toList(),
                stop.requested() ? "stopped: " + stop.reason() : null);
    }

    private static String dataDirectoriesOf(AgentJob job) {
        try {
            return CassandraYaml.dataDirectories(Path.of(job.cassandraConfPath())).toString();
        } catch (Exception e) {
            return "its data directories";
        }
    }

    private static final int MB = 1024 * 1024;

    /**
     * The configured part size ({@code --buffer-size}), or larger when the largest file would need more
     * than S3's 10,000 parts (with room for one more), rounded up to whole MB; in bytes.
     */
    static int partSize(int partSizeMb, long largestStoredSize) {
        long needed = (largestStoredSize + MultipartUploadStream.MAX_PARTS - 2) / (MultipartUploadStream.MAX_PARTS - 1);
        long neededMb = (needed + MB - 1) / MB;
        return (int) (Math.max(partSizeMb, neededMb) * MB);
    }

    private static FileResult take(CompletionService<FileResult> results) throws InterruptedException {
        try {
            return results.take().get();
        } catch (ExecutionException e) {
            // FileUploader reports every failure as a result; reaching here is a bug, not a file problem.
            throw new IllegalStateException("file upload task failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }
}
