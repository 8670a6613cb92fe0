package com.example.shopbackup;

import io.github.cassandrasnapshotter.catalog.BackupListing;
import io.github.cassandrasnapshotter.catalog.StatusReader;
import io.github.cassandrasnapshotter.embed.SnapshotterRoutes;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.restore.RestoreOutcome;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example application in a plain CamelContext, its own route next to ours, against the test
 * servers: S3Proxy over HTTP and a stand-in node behind a real SSH server, reached as a real cluster is.
 */
class ShopBackupAppIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("shop-backups");
    static final String HOST = "127.0.0.1";

    @TempDir
    Path work;

    private SnapshotterRoutes snapshotter(TestCluster cluster, TestSshServer.Keys keys, String basePath) {
        return SnapshotterRoutes.builder()
                .globalFlags("--s3-bucket-name", S3.name(), "--s3-base-path", basePath, "--s3-endpoint", S3.endpoint(),
                        "--aws-access-key-id", S3ProxyServer.IDENTITY, "--aws-secret-access-key", S3ProxyServer.CREDENTIAL)
                .commandFlags("backup", "--hosts", HOST, "--user", "cassandra", "--sshport", String.valueOf(cluster.port()),
                        "--sshkey", keys.clientKeyFile().toString(), "--ssh-known-hosts", cluster.knownHosts().toString(),
                        "--nodetool-path", "bin/nodetool", "--cassandra-conf-path", "conf",
                        "--agent-command", SnapshotterProcess.agentCommand("256m"), "--quiet")
                .build();
    }

    @Test
    void backsUpListsAndRestoresThroughTheDirectEndpoints() throws Exception {
        TestSshServer.Keys keys = TestSshServer.Keys.generate(work);
        try (TestCluster cluster = TestCluster.start(work, keys, HOST);
             ShopBackupApp app = new ShopBackupApp(snapshotter(cluster, keys, "shop"), "ks1")) {
            TestNode node = cluster.node(HOST);
            app.start();

            SnapshotManifest manifest = app.backupNow();

            Map<String, byte[]> ks1 = snapshotOf(files(node.dataDir(), "ks1"));
            assertEquals(List.of("ks1"), manifest.keyspaces());
            assertEquals(List.of(HOST), manifest.hosts());
            assertEquals(ks1.size(), manifest.files(), "every ks1 file of the node, index files included");
            assertEquals(ks1.values().stream().mapToLong(b -> b.length).sum(), manifest.bytes());
            assertTrue(S3.objects().keys("shop/" + manifest.name() + "/").contains("shop/" + manifest.name() + "/manifest.json"));
            assertEquals(List.of(manifest.name() + ": " + ks1.size() + " files, " + manifest.bytes() + " bytes"),
                    app.journal(), "the application's own route saw the manifest");
            assertFalse(node.hasSnapshots(), "the node's snapshot is cleared");

            ProducerTemplate template = app.context().createProducerTemplate();
            BackupListing listing = template.requestBody("direct:snapshotter-list", null, BackupListing.class);
            assertEquals(1, listing.snapshots().size());
            assertEquals(manifest.name(), listing.snapshots().get(0).name());
            assertEquals(BackupListing.Status.COMPLETE, listing.snapshots().get(0).status());
            StatusReader.Report status = template.requestBody("direct:snapshotter-status", null, StatusReader.Report.class);
            assertEquals(manifest.name(), status.lastComplete().orElseThrow().snapshot());

            Path restoreDir = work.resolve("restored");
            RestoreOutcome restored = template.requestBodyAndHeaders("direct:snapshotter-restore", null,
                    Map.of("snapshotterKeyspace", "ks1", "snapshotterRestoreDir", restoreDir.toString()),
                    RestoreOutcome.class);
            assertEquals(ks1.size(), restored.count(DownloadResult.Status.DOWNLOADED), String.valueOf(restored.failures()));
            Map<String, byte[]> back = files(restoreDir.resolve(HOST), "ks1");
            assertEquals(ks1.keySet(), back.keySet());
            ks1.forEach((path, bytes) -> assertArrayEquals(bytes, back.get(path), path));
            template.close();
        }
    }

    @Test
    void aBadOptionHeaderFailsTheMessageBeforeAnythingIsTouched() throws Exception {
        TestSshServer.Keys keys = TestSshServer.Keys.generate(work);
        try (TestCluster cluster = TestCluster.start(work, keys, HOST);
             ShopBackupApp app = new ShopBackupApp(snapshotter(cluster, keys, "shop-bad"), "ks1")) {
            app.start();
            ProducerTemplate template = app.context().createProducerTemplate();
            CamelExecutionException failed = assertThrows(CamelExecutionException.class,
                    () -> template.requestBodyAndHeaders("direct:snapshotter-backup", null,
                            Map.of("snapshotterKeyspaces", "ks1;touch /tmp/pwned")));
            InvalidInputException cause = assertInstanceOf(InvalidInputException.class, failed.getCause());
            assertTrue(cause.getMessage().contains("keyspace"), cause.getMessage());
            assertEquals(List.of(), S3.objects().keys("shop-bad/"), "nothing written");
            assertEquals(List.of(), cluster.node(HOST).nodetoolCalls(), "no nodetool run");
            template.close();
        }
    }

    /** What a snapshot of these live files holds: them, and the snapshot manifest.json nodetool writes per table. */
    private static Map<String, byte[]> snapshotOf(Map<String, byte[]> live) {
        Map<String, byte[]> snapshot = new TreeMap<>(live);
        for (String path : live.keySet()) {
            String[] parts = path.split("/");
            snapshot.put(parts[0] + "/" + parts[1] + "/manifest.json",
                    "{\"files\":[]}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return snapshot;
    }

    /** Files of one keyspace under a data (or restore) folder, by path relative to it. */
    private static Map<String, byte[]> files(Path root, String keyspace) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root.resolve(keyspace))) {
            for (Path file : walk.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/")).toList()) {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }
}
