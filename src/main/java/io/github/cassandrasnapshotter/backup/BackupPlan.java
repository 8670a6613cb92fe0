package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.agent.FileKind;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One backup run as the routes carry it (exchange property {@code plan}): the request, the
 * snapshot name, and which hosts hold a snapshot that must be cleared at the end.
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
    private final ConcurrentSkipListSet<String> hostsWithSnapshot = new ConcurrentSkipListSet<>();
    private final Map<String, String> cleanupFailures = new ConcurrentHashMap<>();

    public BackupPlan(BackupRequest request, Instant started) {
        this.request = request;
        this.started = started;
        this.snapshot = SNAPSHOT_NAME.format(started);
        this.runId = snapshot;
        this.kind = FileKind.SNAPSHOT;
        this.nodetool = new NodetoolCommand(request.nodetoolPath(), request.useSudo());
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
        return new AgentJob(Version.CURRENT, host, snapshot, kind, request.s3(), request.keyspaces(),
                request.table(), request.excludeTables(), request.cassandraConfPath(),
                request.compression().label(), request.bufferSizeMb(), request.filesAtOnce(),
                request.partsInFlight(), request.rateLimitKbps());
    }
}
