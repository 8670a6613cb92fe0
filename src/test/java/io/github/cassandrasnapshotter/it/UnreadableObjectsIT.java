package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bucket contents are untrusted input: a metadata object that exists and cannot be used (truncated,
 * or without a field every reader needs) is reported by its key and passed over by backup, list,
 * restore LATEST and verify; it stops none of them and never surfaces as a NullPointerException.
 */
class UnreadableObjectsIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("unreadable");
    static final String HOST = "127.0.0.1";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void keys() throws Exception {
        keys = SSH.keys();
    }

    /** What is done to one object of the newest snapshot, and which object. */
    enum Damage {
        TRUNCATED_MANIFEST(true) {
            String keyIn(String snapshot) {
                return "manifest.json";
            }

            String apply(String content) {
                return content.substring(0, content.length() / 2);
            }
        },
        MANIFEST_WITHOUT_HOSTS(true) {
            String keyIn(String snapshot) {
                return "manifest.json";
            }

            String apply(String content) throws Exception {
                return without(content, "hosts");
            }
        },
        SUMMARY_WITHOUT_HOSTS(false) {
            String keyIn(String snapshot) {
                return "_runs/" + snapshot + "/summary.json";
            }

            String apply(String content) throws Exception {
                return without(content, "hosts");
            }
        },
        FILE_LIST_WITHOUT_FILES(false) {
            String keyIn(String snapshot) {
                return "_runs/" + snapshot + "/" + HOST + ".json";
            }

            String apply(String content) throws Exception {
                return without(content, "files");
            }
        };

        /** Whether list reads the object (manifest.json) and shows it. */
        final boolean listed;

        Damage(boolean listed) {
            this.listed = listed;
        }

        abstract String keyIn(String snapshot);

        abstract String apply(String content) throws Exception;

        static String without(String content, String field) throws Exception {
            ObjectNode node = (ObjectNode) JSON.readTree(content);
            assertTrue(node.has(field), field + " in " + content);
            node.remove(field);
            return JSON.writeValueAsString(node);
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedNewestSnapshotIsReportedByItsKeyAndPassedOverByBackupListRestoreAndVerify(Damage damage) throws Exception {
        String base = "damaged-" + damage.name().toLowerCase();
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            String older = RestoreIT.snapshotName(backup(cluster, base));
            String newer = RestoreIT.snapshotName(backup(cluster, base, "--new-snapshot"));
            assertNotEquals(older, newer);
            String key = base + "/" + newer + "/" + damage.keyIn(newer);
            put(key, damage.apply(S3.objects().text(key)));
            String location = "s3://" + S3.name() + "/" + key;

            // backup: names the object, and adds its incremental run to the older, readable snapshot.
            SnapshotterProcess.Result run = backup(cluster, base);
            assertTrue(run.stderr().contains(location + " cannot be used: "), run.all());
            assertTrue(run.stdout().contains("backup incremental run ") && run.stdout().contains(" of snapshot " + older + " "),
                    run.stdout());
            assertFalse(run.all().contains("Exception"), run.all());

            // list: every snapshot; the damaged manifest as unreadable, with its key.
            SnapshotterProcess.Result list = tool(base, "list", "--json");
            assertEquals(0, list.exitStatus(), list.all());
            JsonNode snapshots = JSON.readTree(list.stdout()).get("snapshots");
            assertEquals(2, snapshots.size(), list.stdout());
            assertEquals(newer, snapshots.get(0).get("name").asText());
            assertEquals("complete", snapshots.get(1).get("status").asText());
            if (damage.listed) {
                assertEquals("unreadable", snapshots.get(0).get("status").asText(), list.stdout());
                assertTrue(snapshots.get(0).get("unreadable").get(0).asText().startsWith(location + " cannot be used: "),
                        list.stdout());
                SnapshotterProcess.Result text = tool(base, "list");
                assertEquals(0, text.exitStatus(), text.all());
                assertTrue(text.stdout().contains(newer + "  ") && text.stdout().contains(" unreadable "), text.stdout());
                assertTrue(text.stdout().contains("  ! unreadable: " + location + " cannot be used: "), text.stdout());
            }

            // restore LATEST: the older snapshot, saying why the newer one was skipped.
            SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks1",
                    "--restore-dir", work.resolve("restored").toString());
            assertEquals(0, restore.exitStatus(), restore.all());
            assertTrue(restore.stdout().startsWith("restore of snapshot " + older + " "), restore.stdout());
            assertTrue(restore.stdout().contains("  NOTE: snapshot " + newer + " skipped: " + location + " cannot be used: "),
                    restore.stdout());

            // verify LATEST checks the older one and counts the damaged newer one as a problem.
            SnapshotterProcess.Result verify = tool(base, "verify");
            assertEquals(1, verify.exitStatus(), verify.all());
            assertTrue(verify.stdout().startsWith("verify of snapshot " + older + " "), verify.stdout());
            assertTrue(verify.stdout().contains("  FAILED: snapshot " + newer + " skipped: " + location), verify.stdout());

            // The damaged one by name: a damaged backup (exit 1), one line naming the object.
            SnapshotterProcess.Result named = tool(base, "verify", "--snapshot-name", newer);
            assertEquals(1, named.exitStatus(), named.all());
            List<String> lines = named.stderr().strip().lines().toList();
            assertEquals(1, lines.size(), named.stderr());
            assertTrue(lines.get(0).startsWith("cassandra-snapshotter: failed: snapshot " + newer + " cannot be read: "
                    + location + " cannot be used: "), lines.get(0));
        }
    }

    @Test
    void listShowsEachUnusableManifestByItsKeyAndTheRestAsUsual() throws Exception {
        String base = "by-hand";
        String good = "20240101000000";
        String good2 = "20240101000500";
        put(base + "/" + good + "/manifest.json", "{\"name\": \"" + good + "\", \"base_path\": \"" + base
                + "\", \"hosts\": [\"10.0.0.1\"], \"keyspaces\": null, \"table\": \"\"}");
        put(base + "/" + good2 + "/manifest.json", "{\"name\": \"" + good2 + "\", \"base_path\": \"" + base
                + "\", \"hosts\": [\"10.0.0.1\"], \"keyspaces\": null, \"table\": \"\"}");
        String[][] damaged = {
                {"20240101010000", "", "it is not valid JSON"},
                {"20240101020000", "{\"name\": \"20240101020000\", \"hosts\": [\"10.0.0", "it is not valid JSON"},
                {"20240101030000", "{\"name\": \"20240101030000\", \"keyspaces\": null}", "it has no hosts"},
                {"20240101040000", "null", "it holds JSON null"},
                {"20240101050000", "{\"name\": \"20240101050000\", \"hosts\": [\"a;rm -rf /\"]}", "it names a host"},
                {"20240101060000", "{\"name\": \"20240101060000\", \"hosts\": \"10.0.0.1\"}", "it is not valid JSON"},
                {"20240101070000", "{\"hosts\": [\"10.0.0.1\"]}", "its name is not a snapshot name"},
        };
        for (String[] snapshot : damaged) {
            put(base + "/" + snapshot[0] + "/manifest.json", snapshot[1]);
            put(base + "/" + snapshot[0] + "/10.0.0.1/var/lib/cassandra/data/ks/t-1/snapshots/" + snapshot[0]
                    + "/nb-1-big-Data.db.lzo", "0123456789");
        }
        // A folder that looks like a snapshot and is no time at all (month 13) is not one.
        put(base + "/20241399000000/manifest.json", "{}");
        SnapshotterProcess.Result list = tool(base, "list", "--json");
        assertEquals(0, list.exitStatus(), list.all());
        JsonNode snapshots = JSON.readTree(list.stdout()).get("snapshots");
        assertEquals(damaged.length + 2, snapshots.size(), list.stdout());
        for (int i = 0; i < damaged.length; i++) {
            JsonNode listed = snapshots.get(damaged.length - 1 - i);
            assertEquals(damaged[i][0], listed.get("name").asText());
            assertEquals("unreadable", listed.get("status").asText(), listed.toString());
            String location = "s3://" + S3.name() + "/" + base + "/" + damaged[i][0] + "/manifest.json";
            assertTrue(listed.get("unreadable").get(0).asText().startsWith(location + " cannot be used: " + damaged[i][2]),
                    listed.toString());
            assertFalse(listed.get("unreadable").get(0).asText().contains("\n"), listed.toString());
        }
        assertEquals("complete", snapshots.get(damaged.length).get("status").asText());
        assertEquals("complete", snapshots.get(damaged.length + 1).get("status").asText());
    }

    static void put(String key, String content) {
        S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromString(content));
    }

    SnapshotterProcess.Result backup(TestCluster cluster, String base, String... extra) throws Exception {
        SnapshotterProcess.Result run = SnapshotterProcess.run(work,
                BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys, extra), S3ProxyServer.AWS_ENV);
        assertEquals(0, run.exitStatus(), run.all());
        return run;
    }

    SnapshotterProcess.Result tool(String base, String command, String... flags) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), S3.name(), base, command, flags),
                S3ProxyServer.AWS_ENV);
    }
}
