package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.StoreCopies;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Incremental runs, snapshot reuse and its policies, differential snapshots and the run records,
 * against S3Proxy and an SSH server with the nodetool stand-in (the real Cassandra node covers the
 * same path in {@link CassandraBackupIT}).
 */
class IncrementalBackupIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("incremental");
    static final String BUCKET = S3.name();
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    static S3ProxyServer s3Server;
    static S3Objects objects;
    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        s3Server = S3.server();
        objects = S3.objects();
        keys = SSH.keys();
    }

    SnapshotterProcess.Result backup(TestCluster cluster, String base, String... extra) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.backup(s3Server, BUCKET, base, cluster, keys, extra),
                S3ProxyServer.AWS_ENV);
    }

    static TreeSet<String> snapshots(String base) {
        return objects.snapshots(base);
    }

    static TreeSet<String> runs(String base, String snapshot) {
        TreeSet<String> runs = new TreeSet<>();
        String prefix = base + "/" + snapshot + "/_runs/";
        objects.keys(prefix).forEach(k -> runs.add(k.substring(prefix.length()).split("/")[0]));
        return runs;
    }

    static JsonNode json(String key) throws IOException {
        return JSON.readTree(objects.text(key));
    }

    static JsonNode hostSummary(String base, String snapshot, String run) throws IOException {
        return json(base + "/" + snapshot + "/_runs/" + run + "/summary.json").get("hosts").get(HOST);
    }

    static List<JsonNode> hostFiles(String base, String snapshot, String run) throws IOException {
        List<JsonNode> files = new ArrayList<>();
        json(base + "/" + snapshot + "/_runs/" + run + "/" + HOST + ".json").get("files").forEach(files::add);
        return files;
    }

    static String keyOf(String base, String snapshot, Path nodeFile) {
        return base + "/" + snapshot + "/" + HOST + nodeFile + ".lzo";
    }

    @Test
    void aSecondBackupIsAnIncrementalRunOfOnlyTheNewSstablesThatRemovesTheirLinks() throws Exception {
        String base = "incremental/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            node.addFlushedSstable("ks1", USERS, 4, 40); // flushed before the snapshot: the snapshot holds it
            SnapshotterProcess.Result first = backup(cluster, base);
            assertEquals(0, first.exitStatus(), first.all());
            String snapshot = snapshots(base).first();
            assertEquals(4, node.backupLinks().size(), "a snapshot run leaves backups/ alone");

            List<Path> newLinks = node.addFlushedSstable("ks1", USERS, 5, 50);
            Map<String, String> expected = new HashMap<>();
            for (Path link : newLinks) {
                expected.put(keyOf(base, snapshot, link), S3Objects.sha256(link));
            }
            SnapshotterProcess.Result second = backup(cluster, base);
            assertEquals(0, second.exitStatus(), second.all());

            assertEquals(Set.of(snapshot), snapshots(base), "no new snapshot folder");
            TreeSet<String> runs = runs(base, snapshot);
            assertEquals(2, runs.size(), runs.toString());
            String run = runs.last();
            assertNotEquals(snapshot, run);
            assertTrue(second.stdout().contains("incremental run " + run + " of snapshot " + snapshot), second.stdout());
            JsonNode summary = json(base + "/" + snapshot + "/_runs/" + run + "/summary.json");
            assertEquals("INCREMENTAL", summary.get("kind").asText());
            assertEquals("COMPLETE", summary.get("status").asText());

            Set<String> incrementalKeys = new HashSet<>();
            objects.keys(base + "/" + snapshot + "/" + HOST + "/").stream()
                    .filter(k -> k.contains("/backups/")).forEach(incrementalKeys::add);
            assertEquals(expected.keySet(), incrementalKeys, "only the SSTable flushed since the snapshot");
            for (Map.Entry<String, String> object : expected.entrySet()) {
                assertEquals(object.getValue(), objects.decompressedSha256(object.getKey()), object.getKey());
            }
            List<JsonNode> files = hostFiles(base, snapshot, run);
            assertEquals(4, files.size());
            files.forEach(f -> assertEquals("INCREMENTAL", f.get("kind").asText()));
            files.forEach(f -> assertEquals(expected.get(f.get("key").asText()), f.get("sha256").asText()));
            assertEquals(8, hostSummary(base, snapshot, run).get("links_removed").asInt(),
                    "4 uploaded links and the 4 links of the SSTable the snapshot already holds");
            assertEquals(List.of(), node.backupLinks(), "every backups/ link removed");
            assertTrue(node.nodetoolCalls().contains("flush"), node.nodetoolCalls().toString());
            assertFalse(objects.keys(base + "/" + snapshot + "/_runs/" + run + "/").isEmpty());
        }
    }

    @Test
    void aSelfContainedSnapshotCopiesUnchangedFilesInTheStoreAndSendsOnlyChangedContent() throws Exception {
        String base = "differential/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            SnapshotterProcess.Result first = backup(cluster, base);
            assertEquals(0, first.exitStatus(), first.all());
            String firstSnapshot = snapshots(base).first();
            // Cassandra rewrites Statistics.db in place under the same name: same size, other bytes.
            Path rewritten = node.addFile("ks1", USERS, "nb-1-big-Statistics.db", 20_000 + "Statistics.db".length(),
                    12345, false);

            SnapshotterProcess.Result second = backup(cluster, base, "--new-snapshot", "--self-contained");
            assertEquals(0, second.exitStatus(), second.all());
            String snapshot = snapshots(base).last();
            assertNotEquals(firstSnapshot, snapshot);
            assertTrue(second.stdout().contains("copied, not referenced: --self-contained"), second.stdout());

            Map<String, Path> expected = BackupIT.expectedDataKeys(base, snapshot, HOST, node);
            for (Map.Entry<String, Path> entry : expected.entrySet()) {
                assertEquals(S3Objects.sha256(entry.getValue()), objects.decompressedSha256(entry.getKey()),
                        "the new snapshot folder holds " + entry.getKey() + " on its own");
            }
            List<String> uploaded = new ArrayList<>();
            int copied = 0;
            for (JsonNode file : hostFiles(base, snapshot, snapshot)) {
                String action = file.get("action").asText();
                if (action.equals("UPLOADED")) {
                    uploaded.add(file.get("path").asText());
                } else {
                    assertEquals("COPIED", action, file.toString());
                    assertTrue(file.get("copiedFrom").asText().startsWith(base + "/" + firstSnapshot + "/"));
                    copied++;
                }
            }
            String changed = node.dataDir().resolve("ks1").resolve(USERS).resolve("snapshots").resolve(snapshot)
                    .resolve(rewritten.getFileName()).toString();
            assertEquals(List.of(changed), uploaded, "only the rewritten component is sent");
            assertEquals(expected.size() + 3 - 1, copied, "every other file (and Cassandra's 3 snapshot manifests)");
            JsonNode host = hostSummary(base, snapshot, snapshot);
            assertEquals(copied, host.get("copied_files").asInt());
            assertTrue(host.get("sent_bytes").asLong() > 0 && host.get("sent_bytes").asLong() < 25_000, host.toString());
            StoreCopies reported = StoreCopies.in(second.stdout());
            assertEquals(copied, reported.files(), second.stdout());
            assertTrue(reported.bytes() > 0, second.stdout());
        }
    }

    /**
     * A file whose name, size and modification time match is not read by default; only a rewrite that
     * puts the old modification time back (no Cassandra operation does) tells the two modes apart.
     */
    @Test
    void unchangedLookingFilesAreTrustedByTimeUnlessContentIsCompared() throws Exception {
        String base = "differential/trusted";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            assertEquals(0, backup(cluster, base).exitStatus());
            Path data = node.dataDir().resolve("ks1").resolve(USERS).resolve("nb-1-big-Data.db");
            var mtime = Files.getLastModifiedTime(data);
            byte[] bytes = Files.readAllBytes(data);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(data, bytes);
            Files.setLastModifiedTime(data, mtime);

            SnapshotterProcess.Result trusted = backup(cluster, base, "--new-snapshot");
            assertEquals(0, trusted.exitStatus(), trusted.all());
            String second = snapshots(base).last();
            assertEquals("REFERENCED", actionOf(base, second, data.getFileName().toString()),
                    "same name, size and time: the earlier object is named without reading the file");

            SnapshotterProcess.Result compared = backup(cluster, base, "--new-snapshot", "--compare-content");
            assertEquals(0, compared.exitStatus(), compared.all());
            String third = snapshots(base).last();
            assertNotEquals(second, third);
            assertEquals("UPLOADED", actionOf(base, third, data.getFileName().toString()),
                    "--compare-content reads it, sees other bytes and sends them");
            Path inSnapshot = node.dataDir().resolve("ks1").resolve(USERS).resolve("snapshots").resolve(third)
                    .resolve(data.getFileName());
            assertEquals(S3Objects.sha256(data), objects.decompressedSha256(keyOf(base, third, inSnapshot)));
        }
    }

    private static String actionOf(String base, String snapshot, String fileName) throws IOException {
        for (JsonNode file : hostFiles(base, snapshot, snapshot)) {
            if (file.get("path").asText().endsWith("/ks1/" + USERS + "/snapshots/" + snapshot + "/" + fileName)) {
                return file.get("action").asText();
            }
        }
        throw new AssertionError(fileName + " is not in the run's file list of " + snapshot);
    }

    @Test
    void snapshotAgeAndRunCountPoliciesStartANewSnapshot() throws Exception {
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            cluster.node(HOST).addSampleTables();
            String runsBase = "policy/runs";
            assertEquals(0, backup(cluster, runsBase, "--max-incremental-runs", "1").exitStatus());
            SnapshotterProcess.Result incremental = backup(cluster, runsBase, "--max-incremental-runs", "1");
            assertEquals(0, incremental.exitStatus(), incremental.all());
            assertEquals(1, snapshots(runsBase).size(), "the second run is incremental");
            SnapshotterProcess.Result third = backup(cluster, runsBase, "--max-incremental-runs", "1");
            assertEquals(0, third.exitStatus(), third.all());
            assertEquals(2, snapshots(runsBase).size(), "one incremental run reached the limit: " + third.stdout());
            assertTrue(third.stdout().contains("has 1 incremental runs, --max-incremental-runs is 1"), third.stdout());

            String ageBase = "policy/age";
            assertEquals(0, backup(cluster, ageBase).exitStatus());
            // Each run takes more than a second (a JVM and an agent start), so the first snapshot is older than 1s.
            SnapshotterProcess.Result aged = backup(cluster, ageBase, "--max-snapshot-age", "1s");
            assertEquals(0, aged.exitStatus(), aged.all());
            assertEquals(2, snapshots(ageBase).size(), aged.stdout());
            assertTrue(aged.stdout().contains("--max-snapshot-age is 1s"), aged.stdout());
            SnapshotterProcess.Result next = backup(cluster, ageBase, "--max-snapshot-age", "7d");
            assertEquals(0, next.exitStatus(), next.all());
            assertTrue(next.stdout().contains("of snapshot " + snapshots(ageBase).last()), "reuses the newest: " + next.stdout());
        }
    }

    @Test
    void anIncompleteSnapshotIsNeverReusedAndListShowsItWithTheMissingHost() throws Exception {
        String base = "listing/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            assertEquals(0, backup(cluster, base).exitStatus());
            String complete = snapshots(base).first();
            node.breakNextSnapshot();
            assertEquals(1, backup(cluster, base, "--new-snapshot").exitStatus());
            String incomplete = snapshots(base).last();
            assertNotEquals(complete, incomplete);
            Files.delete(node.root().resolve("broken-link"));

            node.addFlushedSstable("ks1", USERS, 6, 60);
            SnapshotterProcess.Result third = backup(cluster, base);
            assertEquals(0, third.exitStatus(), third.all());
            assertTrue(third.stdout().contains("of snapshot " + complete), "reuses the complete one: " + third.stdout());
            String run = runs(base, complete).last();

            SnapshotterProcess.Result text = SnapshotterProcess.run(work, BackupArgs.list(s3Server, BUCKET, base, false),
                    S3ProxyServer.AWS_ENV);
            assertEquals(0, text.exitStatus(), text.all());
            String[] lines = text.stdout().split("\n");
            assertTrue(lines[0].startsWith("2 snapshot(s) under s3://" + BUCKET + "/" + base + ", 1 complete"), text.stdout());
            assertTrue(lines[1].startsWith(incomplete) && lines[1].contains("incomplete")
                    && lines[1].contains("missing hosts: " + HOST), text.stdout());
            assertTrue(lines[2].startsWith(complete) && lines[2].contains("complete"), text.stdout());
            assertTrue(lines[3].contains("+ incremental " + run) && lines[3].contains("complete")
                    && lines[3].contains("4 files"), text.stdout());

            SnapshotterProcess.Result json = SnapshotterProcess.run(work, BackupArgs.list(s3Server, BUCKET, base, true),
                    S3ProxyServer.AWS_ENV);
            assertEquals(0, json.exitStatus(), json.all());
            JsonNode listing = JSON.readTree(json.stdout());
            JsonNode newest = listing.get("snapshots").get(0);
            assertEquals(incomplete, newest.get("name").asText());
            assertEquals("incomplete", newest.get("status").asText());
            assertEquals(HOST, newest.get("missing_hosts").get(0).asText());
            JsonNode older = listing.get("snapshots").get(1);
            assertEquals("complete", older.get("status").asText());
            assertEquals(hostSummary(base, complete, complete).get("files").asInt(), older.get("files").asInt());
            assertEquals(List.of(HOST), JSON.convertValue(older.get("hosts"), List.class));
            assertEquals(1, older.get("runs").size());
            assertEquals(run, older.get("runs").get(0).get("run_id").asText());
            assertEquals("complete", older.get("runs").get(0).get("status").asText());
            assertEquals(4, older.get("runs").get(0).get("files").asInt());
        }
    }

    @Test
    void aLinkThatCannotBeRemovedIsReportedAndRemovedNextRunWithoutUploadingAgain() throws Exception {
        String base = "stuck-link/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            assertEquals(0, backup(cluster, base).exitStatus());
            String snapshot = snapshots(base).first();
            List<Path> links = node.addFlushedSstable("ks1", USERS, 7, 70);
            Path stuck = links.get(0);
            // The tests run as root, which may remove any file: an immutable inode is what refuses it.
            assumeTrue(chattr("+i", stuck), "chattr +i is not supported on this file system");
            try {
                SnapshotterProcess.Result second = backup(cluster, base);
                assertEquals(0, second.exitStatus(), "a link left behind does not fail the upload: " + second.all());
                assertTrue(second.stdout().contains("WARNING: cannot remove " + stuck), second.stdout());
                String run = runs(base, snapshot).last();
                assertEquals(1, hostSummary(base, snapshot, run).get("links_left").size());
                assertEquals(4, hostFiles(base, snapshot, run).size(), "all four components uploaded");
                assertEquals(List.of(stuck), node.backupLinks());
            } finally {
                chattr("-i", stuck);
            }
            SnapshotterProcess.Result third = backup(cluster, base);
            assertEquals(0, third.exitStatus(), third.all());
            String run = runs(base, snapshot).last();
            List<JsonNode> files = hostFiles(base, snapshot, run);
            assertEquals(1, files.size());
            assertEquals("ALREADY_STORED", files.get(0).get("action").asText());
            assertEquals(0, hostSummary(base, snapshot, run).get("sent_bytes").asLong(), "nothing sent again");
            assertEquals(List.of(), node.backupLinks());
        }
    }

    @Test
    void statusReportsTheLastCompleteBackupAndFailsWhenItIsTooOldOrMissing() throws Exception {
        String base = "status/cluster";
        SnapshotterProcess.Result none = status(base);
        assertEquals(1, none.exitStatus(), none.all());
        assertTrue(none.stdout().startsWith("CRITICAL: no complete backup recorded under s3://" + BUCKET + "/" + base),
                none.stdout());
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            assertEquals(0, backup(cluster, base).exitStatus());
            String snapshot = snapshots(base).first();
            JsonNode lastComplete = json(base + "/_status/last-complete.json");
            assertEquals(snapshot, lastComplete.get("snapshot").asText());
            assertEquals("COMPLETE", lastComplete.get("status").asText());
            assertEquals(hostSummary(base, snapshot, snapshot).get("files").asInt(), lastComplete.get("files").asInt());

            SnapshotterProcess.Result fresh = status(base, "--max-age", "1h");
            assertEquals(0, fresh.exitStatus(), fresh.all());
            assertTrue(fresh.stdout().startsWith("OK: last complete backup of s3://" + BUCKET + "/" + base)
                    && fresh.stdout().contains("snapshot " + snapshot), fresh.stdout());
            // Each run takes more than a second (a JVM start), so the backup is already older than 1s.
            SnapshotterProcess.Result stale = status(base, "--max-age", "1s");
            assertEquals(1, stale.exitStatus(), stale.all());
            assertTrue(stale.stdout().startsWith("CRITICAL: ") && stale.stdout().contains("(--max-age is 1s)"), stale.stdout());

            node.breakNextSnapshot();
            assertEquals(1, backup(cluster, base, "--new-snapshot").exitStatus());
            assertEquals("FAILED", json(base + "/_status/last-run.json").get("status").asText());
            SnapshotterProcess.Result afterFailure = status(base);
            assertEquals(0, afterFailure.exitStatus(), afterFailure.all());
            assertTrue(afterFailure.stdout().contains("snapshot " + snapshot)
                    && afterFailure.stdout().contains("last run: FAILED")
                    && afterFailure.stdout().contains("nb-99-big-Data.db"), afterFailure.stdout());
        }
    }

    @Test
    void aBackupThatFindsTheLockHeldIsSkippedAndAnExpiredLockIsTakenOver() throws Exception {
        String base = "locked/cluster";
        String lockKey = base + "/_status/lock.json";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            // What a backup running elsewhere (another daemon, another machine) holds.
            String held = lockHeldBy("other-host/42/x", java.time.Instant.now().plusSeconds(3600));
            putText(lockKey, held);
            SnapshotterProcess.Result skipped = backup(cluster, base);
            assertEquals(1, skipped.exitStatus(), skipped.all());
            assertTrue(skipped.stdout().startsWith("backup skipped: another backup of this base path is running "
                    + "(backup of 10.0.0.9 by other-host/42/x"), skipped.stdout());
            assertEquals(List.of(), node.nodetoolCalls(), "nothing was touched on the node");
            assertTrue(snapshots(base).isEmpty());
            assertEquals(held, objects.text(lockKey), "the other run's lock is left alone");

            // A lock of a run that died: expired once the store's clock is the TTL past its Last-Modified
            // (its "expires", written by another machine's clock, decides nothing).
            putText(lockKey, lockHeldBy("other-host/42/x", java.time.Instant.now().plusSeconds(3600)));
            RunLockIT.await("the lock is 3 s old by the store's clock", java.time.Duration.ofSeconds(30),
                    () -> RunLockIT.ageByStoreClock(S3.client(), BUCKET, lockKey).toSeconds() > 3);
            SnapshotterProcess.Result takenOver = backup(cluster, base, "--lock-ttl", "3", "--lock-renewal", "1");
            assertEquals(0, takenOver.exitStatus(), takenOver.all());
            assertEquals(1, snapshots(base).size());
            assertEquals(List.of(), objects.keys(lockKey), "the lock is released when the run ends");
        }
    }

    static String lockHeldBy(String owner, java.time.Instant expires) {
        return "{\"owner\":\"" + owner + "\",\"run\":\"backup of 10.0.0.9\",\"acquired\":\""
                + expires.minusSeconds(7200) + "\",\"expires\":\"" + expires + "\"}";
    }

    static void putText(String key, String text) {
        S3.client().putObject(b -> b.bucket(BUCKET).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(text));
    }

    SnapshotterProcess.Result status(String base, String... flags) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), BUCKET, base, "status", flags),
                S3ProxyServer.AWS_ENV);
    }

    private static boolean chattr(String flag, Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return process.waitFor() == 0;
    }
}
