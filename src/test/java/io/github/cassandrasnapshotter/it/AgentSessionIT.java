package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node agent lives no longer than its SSH session, against a test SSH server that, like OpenSSH,
 * sends a command no signal when its channel closes (only EOF on stdin and EPIPE on stdout); and a
 * session whose command is only slow is not closed as idle.
 */
class AgentSessionIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("sessions");
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";

    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void keys() throws Exception {
        keys = SSH.keys();
    }

    List<String> backupArgs(TestCluster cluster, String base, String... extra) {
        return BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys, extra);
    }

    int openUploads() {
        return S3.client().listMultipartUploads(b -> b.bucket(S3.name())).uploads().size();
    }

    /** An incremental run whose agent is uploading a large file, slowly, over SSH. */
    record Uploading(Process coordinator, Set<Path> links, Path big, Path bigLink) {
    }

    /**
     * After a first backup, flushes an SSTable and a file of {@code bigMb} MB that LZO cannot shrink, starts
     * the incremental run at 1 MB/s, and returns once its agent is in the middle of a multipart upload.
     */
    Uploading uploading(TestCluster cluster, String base, long bigMb) throws Exception {
        TestNode node = cluster.node(HOST);
        SnapshotterProcess.Result first = SnapshotterProcess.run(work, backupArgs(cluster, base), S3ProxyServer.AWS_ENV);
        assertEquals(0, first.exitStatus(), first.all());
        Set<Path> links = new TreeSet<>(node.addFlushedSstable("ks1", USERS, 5, 50));
        Path big = node.addFile("ks1", USERS, "nb-6-big-Data.db", bigMb << 20, 6, true);
        Path bigLink = Files.createLink(big.getParent().resolve("backups").resolve(big.getFileName()), big);
        links.add(bigLink);
        Path out = work.resolve(base + ".out");
        Process coordinator = SnapshotterProcess.start(work, backupArgs(cluster, base, "--rate-limit", "1024",
                "--buffer-size", "5"), S3ProxyServer.AWS_ENV, out);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (openUploads() == 0 && coordinator.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (openUploads() == 0) {
            coordinator.destroyForcibly();
            throw new AssertionError("the agent never started its multipart upload: " + Files.readString(out));
        }
        return new Uploading(coordinator, links, big, bigLink);
    }

    @Test
    void anAgentWhoseCoordinatorIsKilledStopsByItselfAbortsItsUploadAndRemovesNoLink() throws Exception {
        String base = "killed";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            // 40 MB at 1 MB/s: the run is surely uploading it when the coordinator dies.
            Uploading run = uploading(cluster, base, 40);
            run.coordinator().destroyForcibly(); // kill -9: no shutdown hook, no goodbye to the agent
            run.coordinator().waitFor();

            List<String> outlived = cluster.server(HOST).stillRunning(Duration.ofSeconds(10));
            assertEquals(List.of(), outlived, "the agent outlived its session");
            assertEquals(0, openUploads(), "the agent left its multipart upload open");
            assertEquals(run.links(), new TreeSet<>(node.backupLinks()), "a link was removed after the coordinator died");

            // The killed run's lock stays until its TTL; an operator who knows that run is dead may remove it.
            S3.client().deleteObject(b -> b.bucket(S3.name()).key(base + "/_status/lock.json"));
            SnapshotterProcess.Result again = SnapshotterProcess.run(work, backupArgs(cluster, base), S3ProxyServer.AWS_ENV);
            assertEquals(0, again.exitStatus(), again.all());
            assertEquals(List.of(), node.backupLinks());
            String snapshot = S3.objects().snapshots(base).first();
            String key = base + "/" + snapshot + "/" + HOST + run.bigLink() + ".lzo";
            assertEquals(S3Objects.sha256(run.big()), S3.objects().decompressedSha256(key));
        }
    }

    @Test
    void anAgentWhoseNetworkDropsStopsByItselfAndRemovesNoLink() throws Exception {
        String base = "dropped";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            // 80 MB at 1 MB/s: far longer than the agent may go without word from its coordinator.
            Uploading run = uploading(cluster, base, 80);
            try {
                // No EOF, no EPIPE, no close: only silence, as when the network between them drops.
                cluster.server(HOST).cutTheNetwork();

                List<String> outlived = cluster.server(HOST).stillRunning(Duration.ofSeconds(60));
                assertEquals(List.of(), outlived, "the agent outlived a session that no longer carried anything");
                assertEquals(0, openUploads(), "the agent left its multipart upload open");
                assertEquals(run.links(), new TreeSet<>(node.backupLinks()), "a link was removed after the network dropped");
            } finally {
                run.coordinator().destroyForcibly();
                run.coordinator().waitFor();
            }
        }
    }

    @Test
    void aSilentNodetoolCommandOutlivesTheServersIdleTimeoutThroughKeepalives() throws Exception {
        String base = "idle";
        // MINA closes a session after its idle timeout (10 minutes by default): here 4 s, and a snapshot
        // that says nothing for 8 s.
        try (TestCluster cluster = TestCluster.start(work, keys, Duration.ofSeconds(4), HOST)) {
            Files.writeString(cluster.node(HOST).root().resolve("slow-snapshot"), "8");
            SnapshotterProcess.Result quiet = SnapshotterProcess.run(work,
                    backupArgs(cluster, base, "--ssh-keepalive", "0"), S3ProxyServer.AWS_ENV);
            assertEquals(1, quiet.exitStatus(), "without keepalives the idle session is closed: " + quiet.all());

            SnapshotterProcess.Result kept = SnapshotterProcess.run(work,
                    backupArgs(cluster, base, "--ssh-keepalive", "1"), S3ProxyServer.AWS_ENV);
            assertEquals(0, kept.exitStatus(), kept.all());
        }
    }
}
