package io.github.cassandrasnapshotter.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.CassandraNode;
import io.github.cassandrasnapshotter.testsupport.FreePorts;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 3-node ring on 127.0.0.1, 127.0.0.2 and 127.0.0.3 backed up in one run. Disabled in the default
 * build because three nodes take about 3 GB and a minute to start on the 2-core CI machine; run it
 * with {@code mvn -B verify -Pcassandra-ring} (README, "Development").
 */
@EnabledIfSystemProperty(named = "cassandra.ring", matches = "true",
        disabledReason = "three Cassandra nodes are opt-in: mvn -B verify -Pcassandra-ring")
class CassandraRingIT {
    static final String BUCKET = "ring-backups";
    static final List<String> HOSTS = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");

    @TempDir
    Path work;

    @Test
    void oneRunBacksUpEveryNodeOfAThreeNodeRing() throws Exception {
        int storagePort = FreePorts.findOnAll(HOSTS.toArray(String[]::new));
        int nativePort = FreePorts.findOnAll(HOSTS.toArray(String[]::new));
        int sshPort = FreePorts.findOnAll(HOSTS.toArray(String[]::new));
        TestSshServer.Keys keys = TestSshServer.Keys.generate(work);
        List<CassandraNode> nodes = new ArrayList<>();
        List<TestSshServer> servers = new ArrayList<>();
        List<String> knownHosts = new ArrayList<>();
        try (S3ProxyServer s3Server = S3ProxyServer.start(work); S3Client s3 = s3Server.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (String host : HOSTS) {
                CassandraNode node = CassandraNode.start(work.resolve("node-" + host), host, HOSTS.get(0), storagePort, nativePort);
                nodes.add(node);
                servers.add(TestSshServer.start(host, sshPort, keys, node.root()));
                knownHosts.add(keys.knownHostsLine(host, sshPort));
            }
            Files.write(work.resolve("known_hosts"), knownHosts);
            try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress(HOSTS.get(0), nativePort))
                    .withLocalDatacenter("datacenter1").build()) {
                cql.execute("CREATE KEYSPACE ring WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
                cql.execute("CREATE TABLE ring.kv (k int PRIMARY KEY, v text)");
                PreparedStatement insert = cql.prepare("INSERT INTO ring.kv (k, v) VALUES (?, ?)");
                for (int i = 0; i < 2000; i++) {
                    cql.execute(insert.bind(i, "value " + i));
                }
            }
            for (CassandraNode node : nodes) {
                node.nodetool("flush", "ring");
            }
            // Every node has its own nodetool (its own JMX port) at the same path relative to its SSH folder.
            List<String> args = List.of("--s3-bucket-name", BUCKET, "--s3-base-path", "ring3",
                    "--s3-endpoint", s3Server.endpoint(), "--aws-keys-from-env", "backup",
                    "--hosts", String.join(",", HOSTS), "--keyspaces", "ring", "--user", "cassandra",
                    "--sshport", String.valueOf(sshPort), "--sshkey", keys.clientKeyFile().toString(),
                    "--ssh-known-hosts", work.resolve("known_hosts").toString(),
                    "--nodetool-path", "bin/nodetool", "--cassandra-conf-path", "conf",
                    "--agent-command", SnapshotterProcess.agentCommand("256m"));
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, Map.of(
                    "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL));
            assertEquals(0, run.exitStatus(), run.all());

            S3Objects objects = new S3Objects(s3, BUCKET);
            String snapshot = BackupIT.snapshotOf(objects, "ring3");
            JsonNode manifest = new ObjectMapper().readTree(objects.text("ring3/" + snapshot + "/manifest.json"));
            assertEquals(3, manifest.get("hosts").size());
            String ring = objects.text("ring3/" + snapshot + "/ring");
            for (int i = 0; i < HOSTS.size(); i++) {
                String host = HOSTS.get(i);
                assertTrue(ring.contains(host), "ring lists " + host + ": " + ring);
                List<String> hostKeys = objects.keys("ring3/" + snapshot + "/" + host + "/");
                assertTrue(hostKeys.stream().anyMatch(k -> k.contains("/ring/kv-") && k.endsWith("-Data.db.lzo")),
                        host + " has its files: " + hostKeys);
                for (Path live : nodes.get(i).liveFiles("ring", "kv")) {
                    Path tableDir = live.getParent();
                    String key = "ring3/" + snapshot + "/" + host
                            + tableDir.resolve("snapshots").resolve(snapshot).resolve(live.getFileName()) + ".lzo";
                    assertEquals(S3Objects.sha256(live), objects.decompressedSha256(key), key);
                }
                assertFalse(nodes.get(i).hasSnapshot(snapshot), "snapshot cleared on " + host);
            }
        } finally {
            for (TestSshServer server : servers) {
                server.close();
            }
            for (CassandraNode node : nodes) {
                node.close();
            }
        }
    }
}
