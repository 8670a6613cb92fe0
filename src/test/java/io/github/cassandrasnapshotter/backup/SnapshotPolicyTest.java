package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.catalog.RunRecord;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.manifest.RunStatus;
import io.github.cassandrasnapshotter.manifest.RunSummary;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.ssh.SshSettings;
import io.github.cassandrasnapshotter.storage.LockTiming;
import io.github.cassandrasnapshotter.storage.S3Settings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotPolicyTest {
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    static final String SNAPSHOT = "20261120120000"; // 4 days before NOW

    static BackupRequest request(List<String> hosts, List<String> keyspaces, String table, boolean newSnapshot,
                                 SnapshotPolicy policy) {
        return new BackupRequest(new S3Settings("b", "p", null, null, null, null, false, null),
                new NodeAccess(new SshSettings("u", 22, null, null, Path.of("known_hosts"), false, Duration.ofSeconds(5),
                        Duration.ZERO), false, "nodetool", "/etc/cassandra", List.of("cassandra-snapshotter"),
                        Duration.ofMinutes(1), Duration.ofMinutes(10)),
                new BackupSelection(hosts, keyspaces, table, List.of()),
                new UploadTuning(64, 4, 4, 2, UploadTuning.NO_RATE_LIMIT, Compression.LZO, false),
                policy.withNewSnapshot(newSnapshot), SchemaBackup.none("cqlsh"), null, true);
    }

    static SnapshotRecord snapshot(List<String> hosts, List<String> keyspaces, String table, boolean complete,
                                   int incrementalRuns) {
        SnapshotManifest manifest = complete ? new SnapshotManifest(SNAPSHOT, "p", hosts, keyspaces, table,
                SnapshotManifest.FORMAT, "2", SNAPSHOT, List.of(), "lzo", List.of(SNAPSHOT), 1, 1L, 1L, List.of(), null) : null;
        List<RunRecord> runs = new ArrayList<>();
        runs.add(new RunRecord(SNAPSHOT, null, hosts));
        for (int i = 0; i < incrementalRuns; i++) {
            String id = "2026112113000" + i;
            runs.add(new RunRecord(id, new RunSummary(id, SNAPSHOT, FileKind.INCREMENTAL, RunStatus.COMPLETE, "", "",
                    Map.of()), hosts));
        }
        return new SnapshotRecord(SNAPSHOT, manifest, runs, 0, 0);
    }

    @Test
    void aSnapshotWithAnUnreadableManifestOrRunSummaryIsNeverReused() {
        SnapshotPolicy policy = SnapshotPolicy.unlimited();
        BackupRequest request = request(List.of("a"), List.of(), null, false, policy);
        SnapshotRecord readable = snapshot(List.of("a"), List.of(), "", true, 1);
        assertTrue(policy.matches(request, readable));
        List<RunRecord> runs = new ArrayList<>(readable.runs());
        runs.set(1, new RunRecord(runs.get(1).runId(), null, List.of("a"), "s3://b/p/x/summary.json cannot be used: it has no hosts"));
        SnapshotRecord unreadableRun = new SnapshotRecord(SNAPSHOT, readable.manifest(), runs, 0, 0);
        assertFalse(policy.matches(request, unreadableRun));
        SnapshotRecord unreadableManifest = new SnapshotRecord(SNAPSHOT, null, readable.runs(), 0, 0,
                "s3://b/p/x/manifest.json cannot be used: it is not valid JSON");
        assertFalse(policy.matches(request, unreadableManifest));
        assertEquals(List.of("s3://b/p/x/manifest.json cannot be used: it is not valid JSON"), unreadableManifest.unreadable());
    }

    @Test
    void hostsKeyspacesAndTableAreComparedAsSets() {
        SnapshotPolicy policy = SnapshotPolicy.unlimited();
        SnapshotRecord stored = snapshot(List.of("a", "b"), List.of("ks1", "ks2"), "", true, 0);
        assertTrue(policy.matches(request(List.of("b", "a"), List.of("ks2", "ks1"), null, false, policy), stored));
        assertFalse(policy.matches(request(List.of("a"), List.of("ks1", "ks2"), null, false, policy), stored));
        assertFalse(policy.matches(request(List.of("a", "b"), List.of("ks1"), null, false, policy), stored));
        assertFalse(policy.matches(request(List.of("a", "b"), List.of("ks1", "ks2"), "t", false, policy), stored));
        assertFalse(policy.matches(request(List.of("a", "b"), List.of(), null, false, policy), stored),
                "all keyspaces is not the same as two of them");
    }

    @Test
    void theOldToolsNullKeyspacesMeanAll() {
        SnapshotPolicy policy = SnapshotPolicy.unlimited();
        SnapshotRecord stored = snapshot(List.of("a"), null, "", true, 0);
        assertTrue(policy.matches(request(List.of("a"), List.of(), null, false, policy), stored));
    }

    @Test
    void anIncompleteSnapshotNeverMatches() {
        SnapshotPolicy policy = SnapshotPolicy.unlimited();
        assertFalse(policy.matches(request(List.of("a"), List.of(), null, false, policy),
                snapshot(List.of("a"), null, "", false, 0)));
    }

    @Test
    void aMatchingSnapshotIsReusedWithinTheLimits() {
        SnapshotPolicy policy = new SnapshotPolicy(false, Duration.ofDays(7), 5);
        SnapshotRecord stored = snapshot(List.of("a"), null, "", true, 4);
        SnapshotChoice choice = policy.decide(stored, NOW);
        assertTrue(choice.incremental());
        assertSame(stored, choice.parent());
        assertEquals("snapshot " + SNAPSHOT + " (4d old, 4 incremental runs) covers these hosts, keyspaces and table",
                choice.reason());
    }

    @Test
    void ageRunCountAndNewSnapshotFlagEachStartANewSnapshot() {
        SnapshotRecord stored = snapshot(List.of("a"), null, "", true, 5);
        SnapshotPolicy byAge = new SnapshotPolicy(false, Duration.ofDays(4), SnapshotPolicy.NO_LIMIT);
        SnapshotChoice aged = byAge.decide(stored, NOW);
        assertNull(aged.parent());
        assertEquals("snapshot " + SNAPSHOT + " is 4d old, --max-snapshot-age is 4d", aged.reason());

        SnapshotPolicy byRuns = new SnapshotPolicy(false, null, 5);
        SnapshotChoice full = byRuns.decide(stored, NOW);
        assertFalse(full.incremental());
        assertEquals("snapshot " + SNAPSHOT + " has 5 incremental runs, --max-incremental-runs is 5", full.reason());

        SnapshotPolicy unlimited = SnapshotPolicy.unlimited();
        assertFalse(request(List.of("a"), List.of(), null, true, unlimited).policy().decide(stored, NOW).incremental());
        assertTrue(request(List.of("a"), List.of(), null, false, unlimited).policy().decide(stored, NOW).incremental());
        assertFalse(unlimited.decide(null, NOW).incremental());
    }

    /** The daemon's two schedules: only --new-snapshot changes, the limits and every other part stay. */
    @Test
    void withNewSnapshotChangesThePolicysFlagAlone() {
        BackupRequest base = request(List.of("a"), List.of("ks1"), "t", false, SnapshotPolicy.unlimited());
        BackupRequest limited = new BackupRequest(base.s3(), base.nodes(), base.selection(), base.upload(),
                new SnapshotPolicy(false, Duration.ofDays(7), 5), base.schema(),
                new LockTiming(Duration.ofSeconds(900), Duration.ofSeconds(90)), false);
        BackupRequest always = limited.withNewSnapshot(true);
        assertEquals(new SnapshotPolicy(true, Duration.ofDays(7), 5), always.policy());
        assertEquals(limited, always.withNewSnapshot(false));
    }

    @Test
    void durationsReadAsOperatorsWriteThem() {
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofHours(12), Durations.parse(" 12h "));
        assertEquals(Duration.ofMinutes(90), Durations.parse("90m"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30s"));
        assertEquals("1h 30m", Durations.describe(Duration.ofMinutes(90)));
        assertEquals("7d", Durations.describe(Duration.ofDays(7)));
    }
}
