package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.InPlaceRestore;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An agent started as root (as {@code --use-sudo} starts it) on a node whose data directories belong to
 * the user Cassandra runs as works as that user: root writing, or removing links, below folders another
 * user can change would follow whatever link that user swaps in between a check and the write. Here the
 * test's SSH servers run commands as root, and the node's data belongs to nobody:nogroup (65534), which
 * plays the cassandra user. Skipped, with this reason, where the build does not run as root: only root
 * can give folders to another user and start an agent as root (CI and these machines run as root).
 */
class DataOwnerIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("owners");
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    static final int NOBODY = 65534;

    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void keys() throws Exception {
        keys = SSH.keys();
    }

    @BeforeEach
    void asRoot() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving a node's data to another user needs root");
        // JUnit makes its folder 0700: the data's owner must be able to reach the node below it, and the jar.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Gives the node's data directory, and all below it, to nobody:nogroup, as Cassandra's data is its user's. */
    static void giveToNobody(TestNode node) throws IOException {
        try (Stream<Path> walk = Files.walk(node.dataDir())) {
            for (Path path : walk.toList()) {
                Files.setAttribute(path, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    SnapshotterProcess.Result tool(String base, String command, String... flags) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), S3.name(), base, command, flags),
                S3ProxyServer.AWS_ENV);
    }

    /** The table's live files (not its snapshots or backups), by name, with their SHA-256. */
    static Map<String, String> liveFiles(Path table) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(table)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), S3Objects.sha256(file));
            }
        }
        return files;
    }

    @Test
    void anAgentStartedAsRootBacksUpAndRestoresInPlaceAsTheOwnerOfTheDataDirectories() throws Exception {
        String base = "owner";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            giveToNobody(node);
            SnapshotterProcess.Result snapshot = SnapshotterProcess.run(work,
                    BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys), S3ProxyServer.AWS_ENV);
            assertEquals(0, snapshot.exitStatus(), snapshot.all());
            String snapshotName = RestoreIT.snapshotName(snapshot);

            List<Path> links = node.addFlushedSstable("ks1", USERS, 5, 50);
            giveToNobody(node);
            SnapshotterProcess.Result incremental = SnapshotterProcess.run(work,
                    BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys), S3ProxyServer.AWS_ENV);
            assertEquals(0, incremental.exitStatus(), incremental.all());
            assertTrue(incremental.stdout().contains("incremental run"), incremental.stdout());
            for (Path link : links) {
                assertFalse(Files.exists(link), "the agent, as nobody, removed the link once its list was stored: " + link);
            }

            Path users = node.dataDir().resolve("ks1").resolve(USERS);
            Map<String, String> before = liveFiles(users);
            before.remove("manifest.json");
            InPlaceRestore.emptyTable(node, "ks1", USERS);
            SnapshotterProcess.Result restore = tool(base, "restore",
                    InPlaceRestore.flags("ks1", USERS, BackupArgs.nodeAccess(cluster, keys)));
            assertEquals(0, restore.exitStatus(), restore.all());
            assertFalse(Files.exists(node.dataDir().resolve("restore-" + snapshotName)), "the staging folder is removed");

            Map<String, String> after = liveFiles(users);
            after.remove("manifest.json");
            assertEquals(before, after, "the table's files are back, byte for byte");
            // Written by the owner itself: its uid and the data's group. Root handing its files over would
            // leave them in root's group.
            for (String name : after.keySet()) {
                Path file = users.resolve(name);
                assertEquals(NOBODY, Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS), file.toString());
                assertEquals(NOBODY, Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS), file.toString());
            }
        }
    }

    /**
     * The coordinator's own work for localhost runs in its process, which cannot switch user: run as root
     * with data of another user, it refuses in one line and touches nothing.
     */
    @Test
    void runAsRootForLocalhostOnDataOfAnotherUserItRefusesAndTouchesNothing() throws Exception {
        String base = "localhost-owner";
        TestNode node = TestNode.create(work.resolve("node"), "localhost");
        node.addSampleTables();
        List<String> local = new ArrayList<>(List.of("--hosts", "localhost"));
        local.addAll(BackupArgs.localNodeAccess(node));
        List<String> backupArgs = BackupArgs.global(S3.server(), S3.name(), base);
        backupArgs.add("backup");
        backupArgs.addAll(local);
        SnapshotterProcess.Result asTheirs = SnapshotterProcess.run(work, backupArgs, S3ProxyServer.AWS_ENV);
        assertEquals(0, asTheirs.exitStatus(), "data of root, backed up by root: " + asTheirs.all());
        String snapshotName = RestoreIT.snapshotName(asTheirs);

        giveToNobody(node);
        String refusal = "cassandra-snapshotter runs as root on localhost and the data directories (or folders above or in "
                + "them) belong to nobody";
        SnapshotterProcess.Result backup = SnapshotterProcess.run(work, backupArgs, S3ProxyServer.AWS_ENV);
        assertNotEquals(0, backup.exitStatus(), backup.all());
        assertTrue(backup.all().contains(refusal), backup.all());

        Path users = node.dataDir().resolve("ks1").resolve(USERS);
        Map<String, String> before = liveFiles(users);
        SnapshotterProcess.Result restore = tool(base, "restore", InPlaceRestore.flags("ks1", USERS, local));
        assertNotEquals(0, restore.exitStatus(), restore.all());
        assertTrue(restore.all().contains(refusal), restore.all());
        assertFalse(Files.exists(node.dataDir().resolve("restore-" + snapshotName)), "no staging folder was made");
        assertFalse(node.nodetoolCalls().stream().anyMatch(call -> call.startsWith("import")), node.nodetoolCalls().toString());
        assertEquals(before, liveFiles(users), "the table is as it was");
    }

    /**
     * The agent run again as the owner is the one that works, and it lives no longer than its session: the
     * coordinator killed with -9 in the middle of an upload, the root agent's relay closes the owner's
     * agent's stdin, which stops, aborts its upload and ends with all it started.
     */
    @Test
    void theAgentRunAsTheOwnerStopsWithItsCoordinator() throws Exception {
        String base = "owner-killed";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addFile("ks1", USERS, "nb-6-big-Data.db", 40L << 20, 6, true); // 40 MB at 1 MB/s
            giveToNobody(node);
            Path out = work.resolve(base + ".out");
            Process coordinator = SnapshotterProcess.start(work, BackupArgs.backup(S3.server(), S3.name(), base,
                    cluster, keys, "--rate-limit", "1024", "--buffer-size", "5"), S3ProxyServer.AWS_ENV, out);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (openUploads() == 0 && coordinator.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(openUploads() > 0, "the agent started its multipart upload: " + Files.readString(out));
                List<ProcessHandle> agents = cluster.server(HOST).descendants();
                assertTrue(agents.stream().anyMatch(p -> p.info().user().orElse("").equals("nobody")
                                && p.info().commandLine().orElse("").contains(" agent")),
                        "an agent runs as nobody: " + agents.stream().map(p -> p.info().user().orElse("?") + " "
                                + p.info().commandLine().orElse("?")).toList());
                coordinator.destroyForcibly(); // kill -9: no goodbye to the agent
                coordinator.waitFor();
                long gone = System.nanoTime() + Duration.ofSeconds(15).toNanos(); // its silence limit is 30 s
                while (agents.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < gone) {
                    Thread.sleep(100);
                }
                assertEquals(List.of(), agents.stream().filter(ProcessHandle::isAlive)
                        .map(p -> p.info().commandLine().orElse("?")).toList(), "an agent outlived its session");
                assertEquals(0, openUploads(), "the agent left its multipart upload open");
            } finally {
                coordinator.destroyForcibly();
            }
        }
    }

    /** An owner who cannot read the jar: one line that says so, not a silent end. */
    @Test
    void anOwnerWhoCannotReadTheJarIsToldSo() throws Exception {
        String base = "owner-unreadable";
        Path hidden = Files.createDirectories(work.resolve("roots-only"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        Path jar = Files.copy(SnapshotterProcess.jar(), hidden.resolve("cassandra-snapshotter.jar"));
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            giveToNobody(cluster.node(HOST));
            List<String> args = BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys);
            args.set(args.indexOf("--agent-command") + 1, SnapshotterProcess.java() + " -Xmx256m -jar " + jar);
            SnapshotterProcess.Result backup = SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
            assertEquals(1, backup.exitStatus(), backup.all());
            assertTrue(backup.stdout().contains("the agent, run again as nobody (the owner of the data directories), "
                    + "ended before it started"), backup.stdout());
            assertTrue(backup.stdout().contains("nobody must be able to read " + System.getProperty("java.home")
                    + " and " + jar), backup.stdout());
        }
    }

    int openUploads() {
        return S3.client().listMultipartUploads(b -> b.bucket(S3.name())).uploads().size();
    }
}
