package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each SSTable stored once: a new snapshot's file list names the objects earlier snapshots stored for
 * unchanged files, and restore, verify and purge read those references as the snapshot's own. Against
 * S3Proxy (which has no lifecycle rules, so backups refer) and an SSH server with the nodetool stand-in;
 * the real Cassandra node covers the same path in {@link CassandraBackupIT}.
 */
class StoredOnceIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("stored-once");
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestSshServer.Keys keys;
    static S3Objects objects;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        keys = SSH.keys();
        objects = S3.objects();
    }

    /** A backup that must succeed; snapshot names are seconds, so each starts in a second of its own. */
    SnapshotterProcess.Result backup(TestCluster cluster, String base, String... extra) throws Exception {
        Thread.sleep(1100);
        SnapshotterProcess.Result run = SnapshotterProcess.run(work,
                BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys, extra), S3ProxyServer.AWS_ENV);
        assertEquals(0, run.exitStatus(), run.all());
        return run;
    }

    SnapshotterProcess.Result tool(String base, String command, String... flags) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), S3.name(), base, command, flags),
                S3ProxyServer.AWS_ENV);
    }

    static List<JsonNode> listed(String base, String snapshot) throws Exception {
        List<JsonNode> files = new ArrayList<>();
        JSON.readTree(objects.text(base + "/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json"))
                .get("files").forEach(files::add);
        return files;
    }

    /** Data objects stored in a snapshot's own folder (not its records). */
    static List<String> dataObjectsIn(String base, String snapshot) {
        String prefix = base + "/" + snapshot + "/";
        return objects.keys(prefix).stream().filter(k -> k.startsWith(prefix + HOST + "/")).toList();
    }

    /** Restores ks1 of {@code snapshot} into a new folder; asserts it is the node's ks1 as it was then. */
    void restoresExactly(String base, String snapshot, Map<String, String> expected, String folder) throws Exception {
        Path target = work.resolve(folder);
        SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks1", "--snapshot-name", snapshot,
                "--restore-dir", target.toString());
        assertEquals(0, restore.exitStatus(), restore.all());
        Map<String, String> restored = RestoreIT.contents(target);
        restored.keySet().removeIf(k -> k.endsWith("/manifest.json")); // Cassandra's own snapshot manifests
        assertEquals(expected, restored, "snapshot " + snapshot + " restored byte for byte");
        SnapshotterProcess.Result verify = tool(base, "verify", "--snapshot-name", snapshot);
        assertEquals(0, verify.exitStatus(), verify.all());
    }

    @Test
    void unchangedFilesAreStoredOnceAndEveryKeptSnapshotRestoresExactlyAfterEachPurge() throws Exception {
        String base = "once/chain";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            String first = RestoreIT.snapshotName(backup(cluster, base));
            int firstObjects = dataObjectsIn(base, first).size();

            // Cassandra rewrites Statistics.db in place under the same name: same size, other bytes.
            Path rewritten = node.addFile("ks1", USERS, "nb-1-big-Statistics.db", 20_000 + "Statistics.db".length(),
                    12345, false);
            SnapshotterProcess.Result secondRun = backup(cluster, base, "--new-snapshot");
            String second = RestoreIT.snapshotName(secondRun);
            assertNotEquals(first, second);
            Map<String, String> atSecond = RestoreIT.liveFiles(node, "ks1");

            int referenced = 0;
            for (JsonNode file : listed(base, second)) {
                if (file.get("action").asText().equals("UPLOADED")) {
                    assertTrue(file.get("path").asText().endsWith("/" + rewritten.getFileName()), file.toString());
                    assertTrue(file.get("key").asText().startsWith(base + "/" + second + "/" + HOST + "/"), file.toString());
                } else {
                    assertEquals("REFERENCED", file.get("action").asText(), file.toString());
                    assertTrue(file.get("key").asText().startsWith(base + "/" + first + "/" + HOST + "/"),
                            "named where the first snapshot stored it: " + file);
                    assertEquals(file.get("sha256").asText(), objects.decompressedSha256(file.get("key").asText()));
                    referenced++;
                }
            }
            assertEquals(firstObjects - 1, referenced, "every file but the rewritten one");
            assertEquals(1, dataObjectsIn(base, second).size(), "the new folder holds only the rewritten file");
            StoreCopies reported = StoreCopies.in(secondRun.stdout());
            assertEquals(referenced, reported.referencedFiles(), secondRun.stdout());
            assertEquals(0, reported.files(), "nothing copied: " + secondRun.stdout());
            restoresExactly(base, second, atSecond, "second");

            SnapshotterProcess.Result purge = tool(base, "purge", "--keep-last", "1");
            assertEquals(0, purge.exitStatus(), purge.all());
            assertTrue(objects.keys(base + "/" + first + "/manifest.json").isEmpty(), "the first snapshot is purged");
            assertEquals(referenced, dataObjectsIn(base, first).size(),
                    "what the second snapshot names stays, and nothing else: " + dataObjectsIn(base, first));
            assertEquals(List.of(base + "/" + first + "/_runs/purged.json"), objects.keys(base + "/" + first + "/_runs/"),
                    "its records are gone; a tombstone says why its folder still holds objects");
            SnapshotterProcess.Result list = tool(base, "list");
            assertEquals(0, list.exitStatus(), list.all());
            assertTrue(!list.stdout().contains(first) && list.stdout().contains("1 purged snapshot folder"), list.stdout());
            restoresExactly(base, second, atSecond, "second-after-purge");

            // A third snapshot names the first snapshot's objects through the second's list, and the second's own.
            node.addFlushedSstable("ks1", USERS, 5, 50);
            String third = RestoreIT.snapshotName(backup(cluster, base, "--new-snapshot"));
            Map<String, String> atThird = RestoreIT.liveFiles(node, "ks1");
            List<String> keys = listed(base, third).stream().map(f -> f.get("key").asText()).toList();
            assertTrue(keys.stream().anyMatch(k -> k.startsWith(base + "/" + first + "/")), keys.toString());
            assertTrue(keys.stream().anyMatch(k -> k.startsWith(base + "/" + second + "/")), keys.toString());
            assertTrue(keys.stream().anyMatch(k -> k.startsWith(base + "/" + third + "/")), keys.toString());

            SnapshotterProcess.Result again = tool(base, "purge", "--keep-last", "1");
            assertEquals(0, again.exitStatus(), again.all());
            assertTrue(objects.keys(base + "/" + second + "/manifest.json").isEmpty(), "the second snapshot is purged");
            restoresExactly(base, third, atThird, "third-after-purge");
            SnapshotterProcess.Result purged = tool(base, "restore", "--keyspace", "ks1", "--snapshot-name", second,
                    "--restore-dir", work.resolve("purged").toString());
            assertNotEquals(0, purged.exitStatus(), "a purged snapshot is not restored: " + purged.all());
        }
    }

    @Test
    void aFileWhoseEarlierObjectIsGoneOrReplacedIsSentAgainAndVerifyFindsAReferenceGone() throws Exception {
        String base = "once/gone";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            String first = RestoreIT.snapshotName(backup(cluster, base));
            List<String> data = dataObjectsIn(base, first).stream().filter(k -> k.endsWith("-Data.db.lzo")).toList();
            String lost = data.get(0);
            S3.client().deleteObject(b -> b.bucket(S3.name()).key(lost));
            // Another one replaced by other bytes: its size is not what its list records.
            String replaced = data.get(1);
            S3.client().putObject(b -> b.bucket(S3.name()).key(replaced), RequestBody.fromString("not the file"));

            String second = RestoreIT.snapshotName(backup(cluster, base, "--new-snapshot"));
            for (String key : List.of(lost, replaced)) {
                JsonNode entry = entryOf(base, first, second, key);
                assertEquals("UPLOADED", entry.get("action").asText(), "its earlier object is not what was stored: " + entry);
            }
            List<String> referenced = listed(base, second).stream().filter(f -> f.get("action").asText().equals("REFERENCED"))
                    .map(f -> f.get("key").asText()).toList();
            assertTrue(!referenced.isEmpty());
            restoresExactly(base, second, RestoreIT.liveFiles(node, "ks1"), "restored");

            // verify lists the earlier folder the list names: a referenced object gone from it is found.
            S3.client().deleteObject(b -> b.bucket(S3.name()).key(referenced.get(0)));
            SnapshotterProcess.Result verify = tool(base, "verify", "--snapshot-name", second);
            assertEquals(1, verify.exitStatus(), verify.all());
            assertTrue(verify.all().contains(referenced.get(0) + " is missing from the store"), verify.all());
        }
    }

    /** The entry of {@code second}'s list for the file whose object {@code firstKey} was in {@code first}. */
    static JsonNode entryOf(String base, String first, String second, String firstKey) throws Exception {
        String path = firstKey.substring((base + "/" + first + "/" + HOST).length(), firstKey.length() - ".lzo".length())
                .replace("/snapshots/" + first + "/", "/snapshots/" + second + "/");
        return listed(base, second).stream().filter(f -> f.get("path").asText().equals(path))
                .findFirst().orElseThrow(() -> new AssertionError(path + " is not listed"));
    }

    @Test
    void aListThatNamesAnObjectOutsideItsHostsFoldersIsRefusedBeforeAnythingIsFetched() throws Exception {
        String base = "once/hostile";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            cluster.node(HOST).addSampleTables();
            String snapshot = RestoreIT.snapshotName(backup(cluster, base));
            String listKey = base + "/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json";
            ObjectNode list = (ObjectNode) JSON.readTree(objects.text(listKey));
            ObjectNode entry = (ObjectNode) list.get("files").get(0);
            String elsewhere = "other-base/" + snapshot + "/" + HOST + "/secret.lzo";
            entry.put("key", elsewhere);
            S3.client().putObject(b -> b.bucket(S3.name()).key(listKey), RequestBody.fromBytes(JSON.writeValueAsBytes(list)));

            Path target = work.resolve("hostile");
            SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks1", "--snapshot-name", snapshot,
                    "--restore-dir", target.toString());
            assertNotEquals(0, restore.exitStatus(), restore.all());
            assertTrue(restore.stderr().contains("lists the object " + elsewhere) && restore.stderr()
                    .contains("which is no object of host " + HOST + " in a snapshot folder under s3://" + S3.name()
                            + "/" + base + "/"), restore.stderr());
            assertTrue(RestoreIT.contents(target).isEmpty(), "nothing written");
        }
    }
}
