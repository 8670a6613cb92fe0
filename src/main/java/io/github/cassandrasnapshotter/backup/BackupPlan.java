package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.agent.FileKind;
import io.github.cassandrasnapshotter.agent.PriorFile;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One backup run as the routes carry it (exchange property {@code plan}): the request, whether it
 * takes a new snapshot or adds an incremental run to an existing one, the files earlier runs stored
 * per host, and which hosts hold a snapshot that must be cleared at the end.
 */
public final class BackupPlan {
    private static final DateTimeFormatter SNAPSHOT_NAME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private final BackupRequest request;
    private final String snapshot;
    private final String runId;
    private final FileKind kind;
    private final Instant started;
    private final NodetoolCommand nodetool;
    private final SnapshotChoice choice;
    private final Map<String, List<PriorFile>> priorFiles;
    private final ConcurrentSkipListSet<String> hostsWithSnapshot = new ConcurrentSkipListSet<>();
    private final Map<String, String> cleanupFailures = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<String> unreadableManifests = new ConcurrentSkipListSet<>();

    public BackupPlan(BackupRequest request, Instant started, SnapshotChoice choice,
                      Map<String, List<PriorFile>> priorFiles) {
        this.request = request;
        this.choice = choice;
        this.priorFiles = Map.copyOf(priorFiles);
        this.nodetool = new NodetoolCommand(request.nodetoolPath(), request.useSudo());
        if (choice.incremental()) {
            this.snapshot = choice.parent().name();
            this.kind = FileKind.INCREMENTAL;
            // A run id is a time after every earlier run of the snapshot, even within the same second.
            Instant after = choice.parent().runs().stream().map(r -> r.runId())
                    .filter(SnapshotRecord::isSnapshotName).map(SnapshotRecord::timeOf)
                    .max(Instant::compareTo).orElse(choice.parent().time()).plusSeconds(1);
            this.started = started.isBefore(after) ? after : started;
        } else {
            this.snapshot = SNAPSHOT_NAME.format(started);
            this.kind = FileKind.SNAPSHOT;
            this.started = started;
        }
        this.runId = SNAPSHOT_NAME.format(this.started);
    }

    public static String nameOf(Instant time) {
        return SNAPSHOT_NAME.format(time);
    }

    public SnapshotChoice choice() {
        return choice;
    }

    /** The planner found this snapshot's manifest.json unusable: the catalog must not list it as complete. */
    void manifestUnreadable(String snapshot) {
        unreadableManifests.add(snapshot);
    }

    public java.util.Set<String> unreadableManifests() {
        return java.util.Collections.unmodifiableSet(unreadableManifests);
    }

    public boolean incremental() {
        return kind == FileKind.INCREMENTAL;
    }

    public BackupRequest request() {
        return request;
    }

    public String snapshot() {
        return snapshot;
    }

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
        return request.hosts();
    }

    public boolean isLocal(String host) {
        return request.isLocal(host);
    }

    public List<String> snapshotCommand() {
        return nodetool.snapshot(snapshot, request.keyspaces(), request.table());
    }

    public List<String> clearSnapshotCommand() {
        return nodetool.clearSnapshot(snapshot);
    }

    public List<String> flushCommand() {
        return nodetool.flush(request.keyspaces(), request.table());
    }

    public List<String> ringCommand() {
        return nodetool.ring();
    }

    public String firstHost() {
        return request.hosts().get(0);
    }

    public void snapshotTaken(String host) {
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

    public AgentJob jobFor(String host) {
        return new AgentJob(Version.CURRENT, host, snapshot, runId, kind, request.s3(), request.keyspaces(),
                request.table(), request.excludeTables(), request.cassandraConfPath(),
                request.compression().label(), request.bufferSizeMb(), request.filesAtOnce(),
                request.partsInFlight(), request.rateLimitKbps(), priorFiles.getOrDefault(host, List.of()),
                request.compareContent());
    }
}
