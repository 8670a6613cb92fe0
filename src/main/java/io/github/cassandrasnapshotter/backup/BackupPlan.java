package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.agent.AgentStop;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.agent.PriorFile;
import io.github.cassandrasnapshotter.catalog.CatalogRun;
import io.github.cassandrasnapshotter.node.CassandraVersion;
import io.github.cassandrasnapshotter.node.NodetoolCommand;
import io.github.cassandrasnapshotter.validate.SnapshotName;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One backup run as the routes carry it (exchange property {@code plan}): the request, whether it
 * takes a new snapshot or adds an incremental run to an existing one, the files earlier runs stored
 * per host, and which hosts hold a snapshot that must be cleared at the end.
 */
public final class BackupPlan implements CatalogRun {
    private final BackupRequest request;
    private final String snapshot;
    private final String runId;
    private final FileKind kind;
    private final Instant started;
    private final NodetoolCommand nodetool;
    private final SnapshotChoice choice;
    private final Map<String, List<PriorFile>> priorFiles;
    private final StoredObjects storedObjects;
    private final ConcurrentSkipListSet<String> hostsWithSnapshot = new ConcurrentSkipListSet<>();
    private final Map<String, String> cleanupFailures = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<String> unreadableManifests = new ConcurrentSkipListSet<>();
    /** Requested when the run lost its lock: its node agents stop before their next link removal. */
    private final AgentStop agentStop = new AgentStop();

    /** Added to the longest a run may take on a node, for a snapshot's --ttl. */
    static final Duration SNAPSHOT_TTL_MARGIN = Duration.ofMinutes(30);

    /** A plan whose lists name earlier objects ({@link StoredObjects#REFER}). */
    public BackupPlan(BackupRequest request, Instant started, SnapshotChoice choice,
                      Map<String, List<PriorFile>> priorFiles) {
        this(request, started, choice, priorFiles, StoredObjects.REFER);
    }

    public BackupPlan(BackupRequest request, Instant started, SnapshotChoice choice,
                      Map<String, List<PriorFile>> priorFiles, StoredObjects storedObjects) {
        this.request = request;
        this.choice = choice;
        this.priorFiles = Map.copyOf(priorFiles);
        this.storedObjects = storedObjects;
        this.nodetool = new NodetoolCommand(request.nodes().nodetoolPath(), request.nodes().useSudo());
        if (choice.incremental()) {
            this.snapshot = choice.parent().name();
            this.kind = FileKind.INCREMENTAL;
            // A run id is a time after every earlier run of the snapshot, even within the same second.
            Instant after = choice.parent().runs().stream().map(r -> r.runId())
                    .filter(SnapshotName::isName).map(SnapshotName::timeOf)
                    .max(Instant::compareTo).orElse(choice.parent().time()).plusSeconds(1);
            this.started = started.isBefore(after) ? after : started;
        } else {
            this.snapshot = SnapshotName.of(started);
            this.kind = FileKind.SNAPSHOT;
            this.started = started;
        }
        this.runId = SnapshotName.of(this.started);
    }

    public SnapshotChoice choice() {
        return choice;
    }

    /** The planner found this snapshot's manifest.json unusable: the catalog must not list it as complete. */
    void manifestUnreadable(String snapshot) {
        unreadableManifests.add(snapshot);
    }

    @Override
    public java.util.Set<String> unreadableManifests() {
        return java.util.Collections.unmodifiableSet(unreadableManifests);
    }

    public boolean incremental() {
        return kind == FileKind.INCREMENTAL;
    }

    public BackupRequest request() {
        return request;
    }

    /** The bucket, base path and how objects are written (route {@code snapshotter-put-object}). */
    public S3Settings s3() {
        return request.s3();
    }

    /** The bucket the run writes to. */
    @Override
    public String bucket() {
        return s3().bucket();
    }

    /** The base path the run writes under, as given (StorageKeys normalizes it). */
    @Override
    public String basePath() {
        return s3().basePath();
    }

    @Override
    public String snapshot() {
        return snapshot;
    }

    @Override
    public String runId() {
        return runId;
    }

    public FileKind kind() {
        return kind;
    }

    public Instant started() {
        return started;
    }

    public List<String> hosts() {
        return request.selection().hosts();
    }

    public boolean isLocal(String host) {
        return request.isLocal(host);
    }

    public List<String> snapshotCommand() {
        return nodetool.snapshot(snapshot, request.selection().keyspaces(), request.selection().table());
    }

    /** {@code nodetool snapshot}, with {@code --ttl} {@link #snapshotTtl()} where the node's Cassandra has it. */
    public List<String> snapshotCommand(Optional<CassandraVersion> version) {
        boolean ttl = version.map(CassandraVersion::hasSnapshotTtl).orElse(false);
        return nodetool.snapshot(snapshot, request.selection().keyspaces(), request.selection().table(),
                ttl ? snapshotTtl() : null);
    }

    /**
     * How long a snapshot outlives a coordinator that died before clearing it: longer than the whole run
     * may take on a node (the agent's bound, and the nodetool commands around it), with a margin.
     */
    public Duration snapshotTtl() {
        return request.nodes().agentTimeout().plus(request.nodes().nodeCommandTimeout().multipliedBy(3))
                .plus(SNAPSHOT_TTL_MARGIN);
    }

    public List<String> versionCommand() {
        return nodetool.version();
    }

    public List<String> clearSnapshotCommand() {
        return nodetool.clearSnapshot(snapshot);
    }

    public List<String> flushCommand() {
        return nodetool.flush(request.selection().keyspaces(), request.selection().table());
    }

    public List<String> ringCommand() {
        return nodetool.ring();
    }

    public String firstHost() {
        return request.selection().firstHost();
    }

    /**
     * {@code nodetool snapshot} is about to be sent to {@code host}: from here on the host may hold the
     * snapshot (a timeout or a dropped connection says nothing about whether it was made), so it is cleared.
     */
    public void snapshotAttempted(String host) {
        hostsWithSnapshot.add(host);
    }

    public List<String> hostsWithSnapshot() {
        return List.copyOf(hostsWithSnapshot);
    }

    public void cleanupFailed(String host, String reason) {
        cleanupFailures.put(host, reason);
    }

    public Map<String, String> cleanupFailures() {
        return Map.copyOf(cleanupFailures);
    }

    /** The run's agents stop (those started and those to come): the run may no longer change the nodes. */
    public void stopAgents(String reason) {
        agentStop.request(reason);
    }

    public AgentStop agentStop() {
        return agentStop;
    }

    /** Whether this run's lists name earlier objects or copy them, and why copies. */
    public StoredObjects storedObjects() {
        return storedObjects;
    }

    public AgentJob jobFor(String host) {
        BackupSelection selection = request.selection();
        UploadTuning upload = request.upload();
        return new AgentJob(Version.CURRENT, host, snapshot, runId, kind, request.s3(), selection.keyspaces(),
                selection.table(), selection.excludeTables(), request.nodes().cassandraConfPath(),
                upload.compression(), upload.partSizeMb(), upload.filesAtOnce(), upload.partsInFlight(),
                upload.rateLimitKbps(), priorFiles.getOrDefault(host, List.of()), upload.compareContent(),
                storedObjects.refer());
    }
}
