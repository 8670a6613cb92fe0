package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.PriorFile;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.node.CassandraVersion;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.LifecycleCheck;
import io.github.cassandrasnapshotter.storage.LockLostException;
import io.github.cassandrasnapshotter.storage.RunLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The decisions of the backup routes: the plan of a run (a new snapshot or an incremental run on
 * the newest matching complete snapshot, see {@link SnapshotPolicy}), and when it is complete.
 */
public final class BackupPlanner {
    private static final Logger LOG = LoggerFactory.getLogger(BackupPlanner.class);

    private final Clock clock;
    private final S3Client s3;
    private final ObjectMapper json;
    private final ProgressReporter progress;

    public BackupPlanner(Clock clock, S3Client s3, ObjectMapper json, ProgressReporter progress) {
        this.clock = clock;
        this.s3 = s3;
        this.json = json;
        this.progress = progress;
    }

    public BackupPlan plan(BackupRequest request) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        BackupCatalog catalog = new BackupCatalog(new BucketReader(s3, request.s3().bucket(), json, request.s3().clientKeys()),
                request.s3().basePath());
        List<String> names = catalog.snapshotNames();
        Map<String, SnapshotRecord> read = new HashMap<>();
        Set<String> reported = new HashSet<>();
        Function<String, SnapshotRecord> reader = name -> read.computeIfAbsent(name, n -> {
            SnapshotRecord snapshot = catalog.read(n);
            snapshot.unreadable().forEach(problem -> skipped(reported, problem,
                    "snapshot " + n + " is not reused (it is left as it is; if the object is damaged rather than of another key file, 'verify' names it)"));
            return snapshot;
        });
        SnapshotRecord newestMatch = null;
        Map<String, List<PriorFile>> parentFiles = Map.of();
        if (!request.policy().newSnapshot()) {
            for (String name : names) {
                SnapshotRecord snapshot = reader.apply(name);
                if (request.policy().matches(request, snapshot)) {
                    // Its file lists too: an incremental run on a snapshot that restore cannot read would be lost.
                    PriorFileCollector parent = new PriorFileCollector(catalog);
                    Map<String, List<PriorFile>> files = parent.ofSnapshot(snapshot, request.selection().hosts());
                    parent.unreadable().forEach(problem -> skipped(reported, problem, "snapshot " + name
                            + " is not reused; repair or remove the object ('verify' reports it)"));
                    if (parent.unreadable().isEmpty()) {
                        newestMatch = snapshot;
                        parentFiles = files;
                        break;
                    }
                }
            }
        }
        SnapshotChoice choice = request.policy().decide(newestMatch, now);
        Map<String, List<PriorFile>> priorFiles = parentFiles;
        if (!choice.incremental()) {
            PriorFileCollector recent = new PriorFileCollector(catalog);
            priorFiles = recent.ofRecentSnapshots(names, reader, request.selection().hosts());
            recent.unreadable().forEach(problem -> skipped(reported, problem,
                    "the files it lists are sent again rather than named or copied in the store"));
        }
        int known = priorFiles.values().stream().mapToInt(List::size).sum();
        StoredObjects stored = known == 0 ? StoredObjects.REFER : storedObjects(request);
        BackupPlan plan = new BackupPlan(request, now, choice, priorFiles, stored);
        read.values().stream().filter(r -> r.unreadableManifest() != null).forEach(r -> plan.manifestUnreadable(r.name()));
        String what = plan.incremental()
                ? "incremental run " + plan.runId() + " of snapshot " + plan.snapshot() + ": " + choice.reason()
                : "new snapshot " + plan.snapshot() + ": " + choice.reason();
        if (progress.quiet()) {
            // Where nothing is printed (daemon, embedded), the log says what this run is; else the progress line does.
            LOG.info("backup of {} to s3://{}/{}: {}", request.selection().hosts(), request.s3().bucket(), request.s3().basePath(), what);
        }
        if (stored.reason() != null) {
            LOG.info("{}", stored.reason());
        }
        progress.message(what + (known > 0 && !plan.incremental() ? " (" + known + " files of earlier backups "
                + (stored.refer() ? "are named where they are stored, not sent or copied,"
                : "are copied in the store, not sent,") + " where the content is unchanged"
                + (stored.refer() ? "" : ": " + stored.reason()) + ")" : ""));
        return plan;
    }

    /**
     * Whether this run's lists may name earlier objects: not with {@code --self-contained}, nor when a
     * lifecycle rule of the bucket could expire (or archive) objects under the base path by age, which
     * would take an object from every newer snapshot that names it.
     */
    private StoredObjects storedObjects(BackupRequest request) {
        if (request.policy().selfContained()) {
            return StoredObjects.copies("--self-contained: each snapshot stores its own copies");
        }
        return LifecycleCheck.whyCopies(s3, request.s3().bucket(), request.s3().basePath())
                .map(StoredObjects::copies).orElse(StoredObjects.REFER);
    }

    /** Reports an object of the bucket that cannot be used, once per run, and what the run does instead. */
    private static void skipped(Set<String> reported, String problem, String consequence) {
        if (reported.add(problem)) {
            LOG.warn("{}: {}", problem, consequence);
        }
    }

    /**
     * A run that loses its lock (a renewal refused, or none confirmed for too long) stops its node agents
     * at once: another run may now be working on the same nodes and base path, and this one must not
     * remove another link.
     */
    public void fence(BackupPlan plan, RunLock lock) {
        lock.onLost(reason -> plan.stopAgents("this run lost the lock of its base path: " + reason));
    }

    /** Recorded before the snapshot command is sent: every host it was sent to is cleared at the end. */
    public void snapshotAttempted(BackupPlan plan, String host) {
        plan.snapshotAttempted(host);
    }

    /** The snapshot command for a host, given what its {@code nodetool version} printed ("" when it failed). */
    public List<String> snapshotCommand(BackupPlan plan, String host, String versionOutput) {
        Optional<CassandraVersion> version = CassandraVersion.parse(versionOutput);
        if (version.isEmpty()) {
            LOG.warn("no Cassandra version from nodetool version on {}: its snapshot is taken without --ttl", host);
        } else if (!version.get().hasSnapshotTtl()) {
            LOG.info("{} runs Cassandra {}: its snapshot is taken without --ttl (4.1 and later)", host, version.get());
        }
        return plan.snapshotCommand(version);
    }

    public void cleanupFailed(BackupPlan plan, String host, String reason) {
        LOG.warn("could not clear snapshot {} on {}: {}", plan.snapshot(), host, reason);
        plan.cleanupFailed(host, reason);
    }

    public boolean allHostsSucceeded(BackupOutcome outcome, BackupPlan plan) {
        return outcome.allHostsSucceeded(plan.hosts());
    }

    public void metadataFailed(BackupOutcome outcome, String reason) {
        outcome.metadataFailed(reason);
    }

    public boolean readyForManifest(BackupOutcome outcome, BackupPlan plan) {
        return outcome.readyToComplete(plan.hosts());
    }

    /**
     * Before the run's shared writes: a run that lost its lock is FAILED from here on (its summary says
     * so, its complete mark and the status are not written) and says why.
     */
    public void checkLock(BackupOutcome outcome, RunLock lock) {
        try {
            lock.ensureHeld("writing its run summary and manifest.json");
        } catch (LockLostException e) {
            LOG.error(e.getMessage());
            outcome.lockLost(e.getMessage());
        }
    }

    /** Whether the run may still write what it shares with other runs (status, list's index). */
    public boolean holdsLock(BackupOutcome outcome) {
        return outcome.lockError() == null;
    }

    /** The run summary is written: an incremental run is complete once its COMPLETE summary exists. */
    public void summaryWritten(BackupOutcome outcome, BackupPlan plan) {
        if (plan.incremental() && readyForManifest(outcome, plan)) {
            outcome.markComplete();
        }
    }

    public void manifestWritten(BackupOutcome outcome) {
        outcome.markComplete();
    }
}
