package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.InPlaceRestore;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bucket is untrusted input: whoever can write to it may craft a backup whose file list or keys name
 * a path outside the restore folder, or whose manifest names a host that is none. Such a backup is
 * refused as a whole before anything is downloaded: one line naming the object, exit status 2, and
 * nothing written, inside the restore folder or out of it.
 */
class HostileBackupIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("hostile");
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** A real backup of a stand-in node, over no SSH (localhost); returns the snapshot's name. */
    private String backup(TestNode node, String base) throws Exception {
        List<String> args = BackupArgs.global(S3.server(), S3.name(), base);
        args.addAll(List.of("backup", "--hosts", "localhost", "--quiet", "--keyspaces", "ks1",
                "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString()));
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
        assertEquals(0, run.exitStatus(), run.all());
        return RestoreIT.snapshotName(run);
    }

    private SnapshotterProcess.Result tool(String base, String command, String... flags) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), S3.name(), base, command, flags),
                S3ProxyServer.AWS_ENV);
    }

    private static void put(String key, byte[] content) {
        S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromBytes(content));
    }

    /** The one line a refused restore prints, which must name {@code key}; exit status 2. */
    private static void refusedNaming(SnapshotterProcess.Result run, String key) {
        assertEquals(2, run.exitStatus(), run.all());
        List<String> lines = run.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), run.stderr());
        assertTrue(lines.get(0).startsWith("cassandra-snapshotter: "), lines.get(0));
        assertTrue(lines.get(0).contains(key), key + " in: " + lines.get(0));
        assertFalse(run.all().contains("Exception"), run.all());
    }

    @Test
    void aFileListEntryWhosePathEscapesTheRestoreFolderRefusesTheRestoreAndWritesNothing() throws Exception {
        String base = "file-list";
        TestNode node = TestNode.create(work.resolve("node"), "localhost");
        node.addSampleTables();
        String snapshot = backup(node, base);
        String listKey = base + "/" + snapshot + "/_runs/" + snapshot + "/localhost.json";
        ObjectNode list = (ObjectNode) JSON.readTree(S3.objects().text(listKey));
        // One entry of ks1.users keeps its object, size and SHA-256 (all valid) and gets a path whose
        // file name climbs out of <restore-dir>/localhost/ks1/<table-dir>/ to <work>/escaped.
        ObjectNode entry = null;
        for (var file : (ArrayNode) list.get("files")) {
            if (file.get("path").asText().contains("/ks1/" + USERS + "/snapshots/")) {
                entry = (ObjectNode) file;
                break;
            }
        }
        assertTrue(entry != null, list.toString());
        String entryKey = entry.get("key").asText();
        entry.put("path", node.dataDir() + "/ks1/" + USERS + "/snapshots/" + snapshot + "/../../../../escaped");
        put(listKey, JSON.writeValueAsBytes(list));

        Path restoreDir = work.resolve("restored");
        Path sentinel = work.resolve("escaped");
        SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks1", "--restore-dir", restoreDir.toString());
        assertFalse(Files.exists(sentinel), "written outside the restore folder: " + sentinel + "; " + restore.all());
        assertFalse(Files.exists(restoreDir), "nothing at all is written: " + RestoreIT.contents(restoreDir));
        refusedNaming(restore, entryKey);
        assertTrue(restore.stderr().contains(listKey), restore.stderr());

        // Named or LATEST alike, and not passed over for an older snapshot: the same refusal.
        refusedNaming(tool(base, "restore", "--keyspace", "ks1", "--snapshot-name", snapshot,
                "--restore-dir", restoreDir.toString()), entryKey);
        assertFalse(Files.exists(sentinel));
    }

    /**
     * S3Proxy cannot hold a key with a {@code /../} segment (its stores fail to write one, and the AWS SDK
     * drops dot segments from request paths), so the old layout's {@code ..} here is the one its key
     * mapping makes: {@code <folder>/...lzo} is the node file {@code <folder>/..}. A key with a control
     * character is refused the same way. Literal {@code ../} in a key is covered by {@code SafePathsTest}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"...lzo", "nb-2-big\tData.db.lzo"})
    void anOldToolKeyNamingAnUnsafeFileRefusesTheRestoreAndWritesNothing(String hostileName) throws Exception {
        String base = "old-tool-" + Math.abs(hostileName.hashCode());
        String snapshot = "20200101000000";
        byte[] lzo;
        try (var in = HostileBackupIT.class.getResourceAsStream("/lzop/sample.level3.lzo")) {
            lzo = in.readAllBytes();
        }
        String folder = base + "/" + snapshot + "/10.0.0.1/var/lib/cassandra/data/ks/" + USERS + "/snapshots/" + snapshot + "/";
        put(folder + "nb-1-big-Data.db.lzo", lzo);
        String hostile = folder + hostileName;
        put(hostile, lzo);
        assertTrue(S3.objects().keys(base + "/").contains(hostile), "the store keeps the key as it was written: "
                + S3.objects().keys(base + "/"));
        put(base + "/" + snapshot + "/manifest.json", ("{\"name\": \"" + snapshot + "\", \"base_path\": \"" + base
                + "\", \"hosts\": [\"10.0.0.1\"], \"keyspaces\": [\"ks\"], \"table\": \"\"}").getBytes());

        Path restoreDir = work.resolve("restored");
        SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks", "--restore-dir", restoreDir.toString());
        assertFalse(Files.exists(restoreDir), "nothing at all is written: " + RestoreIT.contents(restoreDir) + restore.all());
        refusedNaming(restore, hostile.replace("\t", "?"));
    }

    @Test
    void aManifestHostThatIsNoSshHostRefusesAnInPlaceRestoreBeforeAnyNodeIsTouched() throws Exception {
        String base = "host";
        TestNode node = TestNode.create(work.resolve("node"), "localhost");
        node.addSampleTables();
        String snapshot = backup(node, base);
        // A second host, "127.0.0.9:22" (host:port, which --hosts refuses), with a copy of the file list.
        String hostile = "127.0.0.9:22";
        String manifestKey = base + "/" + snapshot + "/manifest.json";
        ObjectNode manifest = (ObjectNode) JSON.readTree(S3.objects().text(manifestKey));
        ((ArrayNode) manifest.get("hosts")).add(hostile);
        put(manifestKey, JSON.writeValueAsBytes(manifest));
        String runs = base + "/" + snapshot + "/_runs/" + snapshot + "/";
        ObjectNode list = (ObjectNode) JSON.readTree(S3.objects().text(runs + "localhost.json"));
        list.put("host", hostile);
        put(runs + hostile + ".json", JSON.writeValueAsBytes(list));
        List<String> calls = new ArrayList<>(node.nodetoolCalls());

        List<String> nodeAccess = new ArrayList<>(BackupArgs.localNodeAccess(node));
        nodeAccess.add("--ssh-accept-unknown-hosts");
        SnapshotterProcess.Result restore = tool(base, "restore", InPlaceRestore.flags("ks1", USERS, nodeAccess));
        refusedNaming(restore, manifestKey);
        assertTrue(restore.stderr().contains(hostile), restore.stderr());
        assertFalse(Files.exists(node.dataDir().resolve("restore-" + snapshot)), "nothing staged on localhost");
        assertEquals(calls, node.nodetoolCalls(), "no nodetool command");
    }
}
