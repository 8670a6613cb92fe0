package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup command end to end against a real S3 server (S3Proxy over HTTP) and real SSH servers
 * (MINA SSHD running bash), with the nodetool stand-in on each test host and the built jar as both
 * coordinator and node agent.
 */
class BackupIT {
    static final String BUCKET = "backups";
    static final Map<String, String> AWS_ENV = Map.of(
            "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
            "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);

    @TempDir
    static Path shared;
    static S3ProxyServer s3Server;
    static S3Client s3;
    static S3Objects objects;
    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void startServers() throws Exception {
        s3Server = S3ProxyServer.start(shared);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        objects = new S3Objects(s3, BUCKET);
        keys = TestSshServer.Keys.generate(shared);
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    static List<String> args(String basePath, TestCluster cluster, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--s3-bucket-name", BUCKET, "--s3-base-path", basePath, "--s3-endpoint", s3Server.endpoint(),
                "--aws-keys-from-env", "backup",
                "--hosts", cluster.hosts(), "--user", "cassandra", "--sshport", String.valueOf(cluster.port()),
                "--sshkey", keys.clientKeyFile().toString(), "--ssh-known-hosts", cluster.knownHosts().toString(),
                "--nodetool-path", "bin/nodetool", "--cassandra-conf-path", "conf",
                "--agent-command", SnapshotterProcess.agentCommand("256m")));
        args.addAll(List.of(extra));
        return args;
    }

    static List<String> withoutKeysFromEnv(List<String> args) {
        List<String> copy = new ArrayList<>(args);
        copy.remove("--aws-keys-from-env");
        return copy;
    }

    /** The one snapshot folder under the base path (the test runs one backup per base path). */
    static String snapshotOf(String basePath) {
        Set<String> snapshots = new HashSet<>();
        for (String key : objects.keys(basePath + "/")) {
            snapshots.add(key.substring(basePath.length() + 1).split("/")[0]);
        }
        assertEquals(1, snapshots.size(), "one snapshot folder under " + basePath + ": " + snapshots);
        return snapshots.iterator().next();
    }

    /** Expected key of each live file: snapshot files are hard links at <table>/snapshots/<tag>/<path>. */
    static Map<String, Path> expectedDataKeys(String basePath, String snapshot, String host, TestNode node)
            throws Exception {
        Map<String, Path> expected = new HashMap<>();
        Path data = node.root().resolve("data");
        for (Path live : node.liveFiles()) {
            Path relative = data.relativize(live);
            Path tableDir = data.resolve(relative.subpath(0, 2));
            Path inSnapshot = tableDir.resolve("snapshots").resolve(snapshot).resolve(tableDir.relativize(live));
            expected.put(basePath + "/" + snapshot + "/" + host + inSnapshot + ".lzo", live);
        }
        return expected;
    }

    @Test
    void uploadsEveryFileAtTheLayoutKeyAndWritesManifestRingAndRunFiles() throws Exception {
        String base = "layout/cluster1";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            TestNode node = cluster.node("127.0.0.1");
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args(base, cluster), AWS_ENV);
            assertEquals(0, run.exitStatus(), run.all());

            String snapshot = snapshotOf(base);
            assertTrue(snapshot.matches("[0-9]{14}"), snapshot);
            Map<String, Path> expected = expectedDataKeys(base, snapshot, "127.0.0.1", node);
            Set<String> actual = new HashSet<>(objects.keys(base + "/" + snapshot + "/127.0.0.1/"));
            Set<String> dataKeys = new HashSet<>(actual);
            dataKeys.removeIf(k -> k.endsWith("/manifest.json.lzo"));
            assertEquals(expected.keySet(), dataKeys, "data objects at the layout's keys");
            assertEquals(3, actual.size() - dataKeys.size(), "Cassandra's own snapshot manifest of each of 3 tables");
            for (Map.Entry<String, Path> entry : expected.entrySet()) {
                assertEquals(S3Objects.sha256(entry.getValue()), objects.decompressedSha256(entry.getKey()),
                        "content of " + entry.getKey());
            }

            JsonNode manifest = new ObjectMapper().readTree(objects.text(base + "/" + snapshot + "/manifest.json"));
            assertEquals(snapshot, manifest.get("name").asText());
            assertEquals(base, manifest.get("base_path").asText());
            assertEquals("127.0.0.1", manifest.get("hosts").get(0).asText());
            assertTrue(manifest.has("keyspaces") && manifest.get("keyspaces").isNull(), manifest.toString());
            assertEquals("", manifest.get("table").asText());

            assertTrue(objects.text(base + "/" + snapshot + "/ring").contains("127.0.0.1"));

            JsonNode hostFiles = new ObjectMapper().readTree(
                    objects.text(base + "/" + snapshot + "/_runs/" + snapshot + "/127.0.0.1.json"));
            Map<String, String> recorded = new HashMap<>();
            hostFiles.get("files").forEach(f -> recorded.put(f.get("key").asText(), f.get("sha256").asText()));
            for (Map.Entry<String, Path> entry : expected.entrySet()) {
                assertEquals(S3Objects.sha256(entry.getValue()), recorded.get(entry.getKey()),
                        "manifest SHA-256 of " + entry.getKey());
            }
            JsonNode summary = new ObjectMapper().readTree(
                    objects.text(base + "/" + snapshot + "/_runs/" + snapshot + "/summary.json"));
            assertEquals("COMPLETE", summary.get("status").asText());

            assertFalse(node.hasSnapshots(), "snapshot cleared on the node");
            assertTrue(node.nodetoolCalls().contains("clearsnapshot -t " + snapshot), node.nodetoolCalls().toString());
            assertTrue(run.stdout().contains("COMPLETE"), run.stdout());
        }
    }
}
