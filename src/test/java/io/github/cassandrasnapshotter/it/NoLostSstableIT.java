package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.RefusingProxy;
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

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backed-up SSTable is never lost: an incremental run removes a {@code backups/} link only once a
 * record in the store names the object that replaces it, a run whose records were lost is restored
 * from the file lists its agents stored, and "the snapshot already holds it" is judged by the file's
 * identity, never by clocks or a table's name alone. Each test ends with a restore that must bring
 * back every file the node holds.
 */
class NoLostSstableIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("nolost");
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";

    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void keys() throws Exception {
        keys = SSH.keys();
    }

    SnapshotterProcess.Result backup(TestCluster cluster, String base, String endpoint) throws Exception {
        List<String> args = BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys);
        args.set(args.indexOf("--s3-endpoint") + 1, endpoint);
        return SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
    }

    SnapshotterProcess.Result backup(TestCluster cluster, String base) throws Exception {
        return backup(cluster, base, S3.endpoint());
    }

    /** A backup through a proxy that refuses the requests {@code refused} matches. */
    SnapshotterProcess.Result backupRefusing(TestCluster cluster, String base, Predicate<String> refused)
            throws Exception {
        URI store = URI.create(S3.endpoint());
        try (RefusingProxy proxy = new RefusingProxy(new InetSocketAddress(store.getHost(), store.getPort()), refused)) {
            SnapshotterProcess.Result run = backup(cluster, base, proxy.endpoint());
            assertFalse(proxy.refusedRequests().isEmpty(), "the proxy refused nothing: " + run.all());
            return run;
        }
    }

    /** Restores keyspace ks1 of the latest snapshot and its runs, and checks it holds every live file of the node. */
    void restoreHoldsEveryFile(String base, TestNode node) throws Exception {
        Path into = work.resolve("restored-" + System.nanoTime());
        SnapshotterProcess.Result restore = SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), S3.name(),
                base, "restore", "--keyspace", "ks1", "--restore-dir", into.toString()), S3ProxyServer.AWS_ENV);
        assertEquals(0, restore.exitStatus(), restore.all());
        Map<String, String> restored = RestoreIT.contents(into);
        restored.keySet().removeIf(k -> k.endsWith("/manifest.json")); // Cassandra's own snapshot manifests
        assertEquals(RestoreIT.liveFiles(node, "ks1"), restored, "the restore lacks files the node holds");
    }

    static Set<Path> links(TestNode node) throws Exception {
        return new TreeSet<>(node.backupLinks());
    }

    @Test
    void aRunWhoseFileListsAreRefusedRemovesNoLinkAndTheNextRunFinishesIt() throws Exception {
        String base = "refused-lists";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            assertEquals(0, backup(cluster, base).exitStatus());
            Set<Path> flushed = new TreeSet<>(node.addFlushedSstable("ks1", USERS, 5, 50));

            SnapshotterProcess.Result refused = backupRefusing(cluster, base, RefusingProxy.putsOf("/_runs/"));
            assertEquals(1, refused.exitStatus(), refused.all());
            assertEquals(flushed, links(node), "a link was removed while no stored record names its object");
            assertTrue(refused.stdout().contains("no backups/ link was removed"), refused.stdout());

            SnapshotterProcess.Result again = backup(cluster, base);
            assertEquals(0, again.exitStatus(), again.all());
            assertEquals(Set.of(), links(node), "the next run stores them and removes their links");
            restoreHoldsEveryFile(base, node);
        }
    }

    @Test
    void aRunThatEndsBeforeItsSummaryIsRestoredFromTheFileListsItsAgentsStored() throws Exception {
        String base = "no-summary";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            assertEquals(0, backup(cluster, base).exitStatus());
            node.addFlushedSstable("ks1", USERS, 5, 50);

            // What a coordinator that dies after its agents finished leaves: their lists, no summary, no manifest update.
            SnapshotterProcess.Result cut = backupRefusing(cluster, base,
                    RefusingProxy.putsOf("/summary.json").or(RefusingProxy.putsOf("/manifest.json")));
            assertEquals(1, cut.exitStatus(), cut.all());
            assertEquals(Set.of(), links(node), "the agent's file list was stored, so its links went");
            restoreHoldsEveryFile(base, node);
        }
    }

    @Test
    void aLinkIsTheSnapshotsOnlyWhenItIsTheSameFileNeverByItsClockOrTableName() throws Exception {
        String base = "identity";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            Set<Path> inSnapshot = new TreeSet<>(node.addFlushedSstable("ks1", USERS, 4, 40)); // flushed before it
            assertEquals(0, backup(cluster, base).exitStatus());

            // Flushed after the snapshot, with times a day before it: a node clock behind the coordinator's,
            // or SSTables brought in by nodetool import of copied files.
            List<Path> oldTimes = node.addFlushedSstable("ks1", USERS, 6, 60);
            for (Path link : oldTimes) {
                Files.setLastModifiedTime(link, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
            }
            // The table dropped and created again under the same name: another folder, and a first SSTable
            // whose name and size are those of one in the snapshot, with other rows in it.
            String recreated = "users-99999999999999999999999999999999";
            Path data = node.addFile("ks1", recreated, "nb-1-big-Data.db", 20_000 + "Data.db".length(), 999, false);
            Path sameName = data.getParent().resolve("backups").resolve(data.getFileName());
            Files.createDirectories(sameName.getParent());
            Files.createLink(sameName, data);

            SnapshotterProcess.Result run = backup(cluster, base);
            assertEquals(0, run.exitStatus(), run.all());
            assertEquals(Set.of(), links(node));
            S3Objects objects = S3.objects();
            String snapshot = objects.snapshots(base).first();
            for (Path link : List.of(oldTimes.get(0), oldTimes.get(1), oldTimes.get(2), oldTimes.get(3), sameName)) {
                String key = base + "/" + snapshot + "/" + HOST + link + ".lzo";
                assertTrue(objects.keys(key).contains(key), "not stored, so lost with its link: " + link);
                Path live = link.getParent().getParent().resolve(link.getFileName());
                assertEquals(S3Objects.sha256(live), objects.decompressedSha256(key), key);
            }
            for (Path link : inSnapshot) {
                String key = base + "/" + snapshot + "/" + HOST + link + ".lzo";
                assertFalse(objects.keys(key).contains(key), "the snapshot's own file was sent again: " + key);
            }
            restoreHoldsEveryFile(base, node);
        }
    }
}
