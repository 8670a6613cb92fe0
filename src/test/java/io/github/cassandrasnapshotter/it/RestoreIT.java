package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.compress.Compression;
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
import io.github.cassandrasnapshotter.testsupport.ThrottlingProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * restore and verify against S3Proxy and SSH servers with the nodetool stand-in; the real Cassandra
 * node covers the in-place path end to end in {@link CassandraBackupIT}.
 */
class RestoreIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("restores");
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";

    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void keys() throws Exception {
        keys = SSH.keys();
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

    /** Each file under {@code root}, by its path below it, with its SHA-256. */
    static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(root.relativize(file).toString(), S3Objects.sha256(file));
                }
            }
        }
        return files;
    }

    /** The node's live files of a keyspace, as a download restore lays them out under its host folder. */
    static Map<String, String> liveFiles(TestNode node, String keyspace) throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (Path live : node.liveFiles()) {
            String relative = node.dataDir().relativize(live).toString();
            if (relative.startsWith(keyspace + "/")) {
                files.put(HOST + "/" + relative, S3Objects.sha256(live));
            }
        }
        return files;
    }

    static String snapshotName(SnapshotterProcess.Result backup) {
        return backup.stdout().replaceFirst("(?s).*backup snapshot (\\d{14}) .*", "$1");
    }

    @Test
    void aDownloadRestoreBringsBackTheSnapshotAndItsRunsExactlyAndPointInTimeStopsAtTheSnapshot() throws Exception {
        String base = "download";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            String snapshot = snapshotName(backup(cluster, base));
            node.addFlushedSstable("ks1", USERS, 5, 50);
            backup(cluster, base);

            Path everything = work.resolve("everything");
            SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks1", "--restore-dir", everything.toString());
            assertEquals(0, restore.exitStatus(), restore.all());
            Map<String, String> restored = contents(everything);
            restored.keySet().removeIf(k -> k.endsWith("/manifest.json")); // Cassandra's own snapshot manifests
            assertEquals(liveFiles(node, "ks1"), restored, "every file of ks1, the incremental SSTable included");
            assertTrue(restore.stdout().contains("with incremental runs"), restore.stdout());

            Path snapshotOnly = work.resolve("point-in-time");
            SnapshotterProcess.Result pit = tool(base, "restore", "--keyspace", "ks1", "--table", "users",
                    "--point-in-time", snapshot, "--restore-dir", snapshotOnly.toString());
            assertEquals(0, pit.exitStatus(), pit.all());
            Map<String, String> atSnapshot = contents(snapshotOnly);
            assertTrue(atSnapshot.keySet().stream().anyMatch(k -> k.endsWith("/nb-1-big-Data.db")), atSnapshot.toString());
            assertTrue(atSnapshot.keySet().stream().anyMatch(k -> k.contains("/.users_email_idx/")), "index files kept");
            assertFalse(atSnapshot.keySet().stream().anyMatch(k -> k.contains("nb-5-")), "the later run is left out");
            assertTrue(atSnapshot.keySet().stream().allMatch(k -> k.startsWith(HOST + "/ks1/" + USERS + "/")), atSnapshot.toString());

            // sstableloader's exit status is checked (the old tool ignored it); the real one runs in CassandraBackupIT.
            Path bin = Files.createDirectories(work.resolve("loader-bin"));
            Files.writeString(bin.resolve("sstableloader"), "#!/bin/sh\necho \"Could not retrieve endpoint ranges\" >&2\nexit 3\n");
            bin.resolve("sstableloader").toFile().setExecutable(true);
            SnapshotterProcess.Result loader = tool(base, "restore", "--keyspace", "ks1", "--table", "users",
                    "--restore-dir", work.resolve("loaded").toString(), "--target-hosts", "10.0.0.9",
                    "--cassandra-bin-dir", bin.toString());
            assertEquals(1, loader.exitStatus(), loader.all());
            assertTrue(loader.stdout().contains("failed with exit status 3: Could not retrieve endpoint ranges"), loader.stdout());

            SnapshotterProcess.Result unknown = tool(base, "restore", "--keyspace", "ks1", "--snapshot-name", "20000101000000");
            assertEquals(2, unknown.exitStatus(), unknown.all());
            assertEquals("cassandra-snapshotter: snapshot 20000101000000 not found under s3://" + S3.name() + "/" + base
                    + "/ ('list' shows the snapshots there)", unknown.stderr().strip());
        }
    }

    @Test
    void aCorruptOrMissingObjectFailsVerifyAndRestoreAndIsNamed() throws Exception {
        String base = "corrupt";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            cluster.node(HOST).addSampleTables();
            String snapshot = snapshotName(backup(cluster, base));
            assertEquals(0, tool(base, "verify", "--deep").exitStatus());

            String corrupt = S3.objects().keys(base + "/" + snapshot + "/" + HOST + "/").stream()
                    .filter(k -> k.endsWith("/" + snapshot + "/nb-1-big-Data.db.lzo") && k.contains("/ks1/users-"))
                    .findFirst().orElseThrow();
            // Other bytes of the same length in a valid lzop container: only the SHA-256 can tell.
            byte[] other = new byte[20_000 + "Data.db".length()];
            java.util.Arrays.fill(other, (byte) 'x');
            ByteArrayOutputStream lzo = new ByteArrayOutputStream();
            try (OutputStream out = Compression.LZO.compressing(lzo)) {
                out.write(other);
            }
            S3.client().putObject(b -> b.bucket(S3.name()).key(corrupt), RequestBody.fromBytes(lzo.toByteArray()));

            SnapshotterProcess.Result deep = tool(base, "verify", "--deep");
            assertEquals(1, deep.exitStatus(), deep.all());
            assertTrue(deep.stdout().contains("FAILED: s3://" + S3.name() + "/" + corrupt + " is corrupt: SHA-256"), deep.stdout());

            Path target = work.resolve("restored");
            SnapshotterProcess.Result restore = tool(base, "restore", "--keyspace", "ks1", "--restore-dir", target.toString());
            assertEquals(1, restore.exitStatus(), restore.all());
            assertTrue(restore.stdout().contains(corrupt + " is corrupt"), restore.stdout());
            assertFalse(contents(target).keySet().stream().anyMatch(k -> k.startsWith(HOST + "/ks1/" + USERS + "/nb-1-big-Data.db")),
                    "no corrupt SSTable left behind, not even a partial one");

            String missing = S3.objects().keys(base + "/" + snapshot + "/" + HOST + "/").stream()
                    .filter(k -> k.endsWith("/nb-2-big-Index.db.lzo")).findFirst().orElseThrow();
            S3.client().deleteObject(b -> b.bucket(S3.name()).key(missing));
            // Cut short at the same key: the listing's size tells, without reading the object.
            String shortened = S3.objects().keys(base + "/" + snapshot + "/" + HOST + "/").stream()
                    .filter(k -> k.endsWith("/nb-2-big-Data.db.lzo")).findFirst().orElseThrow();
            byte[] whole = S3.client().getObjectAsBytes(b -> b.bucket(S3.name()).key(shortened)).asByteArray();
            S3.client().putObject(b -> b.bucket(S3.name()).key(shortened),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(whole, whole.length - 1)));
            SnapshotterProcess.Result shallow = tool(base, "verify");
            assertEquals(1, shallow.exitStatus(), shallow.all());
            assertTrue(shallow.stdout().contains(missing + " is missing from the store"), shallow.stdout());
            assertTrue(shallow.stdout().contains("s3://" + S3.name() + "/" + shortened + " has " + (whole.length - 1)
                    + " bytes where the manifest records " + whole.length), shallow.stdout());
        }
    }

    @Test
    void aRestoreRunAgainFetchesOnlyWhatIsMissingOrWrong() throws Exception {
        String base = "resume";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            backup(cluster, base);
            Path target = work.resolve("restored");
            SnapshotterProcess.Result first = tool(base, "restore", "--keyspace", "ks1", "--restore-dir", target.toString());
            assertEquals(0, first.exitStatus(), first.all());
            Map<String, String> complete = contents(target);

            // What a restore killed halfway leaves: some files not there yet, one cut short, a .partial file.
            List<Path> files = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(target)) {
                walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".db")).sorted().forEach(files::add);
            }
            Files.delete(files.get(0));
            Files.delete(files.get(1));
            Files.write(files.get(2), new byte[100]);
            Files.write(files.get(0).resolveSibling(files.get(0).getFileName() + ".partial"), new byte[10]);
            // And one of the right size and time whose content differs: only its SHA-256 tells.
            Path flipped = files.stream().skip(3).filter(p -> p.toFile().length() > 0).findFirst().orElseThrow();
            FileTime modified = Files.getLastModifiedTime(flipped);
            byte[] bytes = Files.readAllBytes(flipped);
            bytes[bytes.length / 2] ^= 1;
            Files.write(flipped, bytes);
            Files.setLastModifiedTime(flipped, modified);

            SnapshotterProcess.Result again = tool(base, "restore", "--keyspace", "ks1", "--restore-dir", target.toString());
            assertEquals(0, again.exitStatus(), again.all());
            assertTrue(again.stdout().contains("4 downloaded") && again.stdout().contains((complete.size() - 4)
                    + " already in place"), again.stdout());
            assertEquals(complete, contents(target), "the same files, and no .partial left");
        }
    }

    @Test
    void anInPlaceRestoreStagesEachNodesFilesChecksThemAndImportsThem() throws Exception {
        String base = "in-place";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            String snapshot = snapshotName(backup(cluster, base));
            Map<String, String> before = liveFiles(node, "ks1");
            InPlaceRestore.emptyTable(node, "ks1", USERS);
            SnapshotterProcess.Result restore = tool(base, "restore",
                    InPlaceRestore.flags("ks1", USERS, BackupArgs.nodeAccess(cluster, keys)));
            assertEquals(0, restore.exitStatus(), restore.all());
            assertTrue(restore.stdout().contains(HOST + ": nodetool import of ks1.users"), restore.stdout());
            Path staging = node.dataDir().resolve("restore-" + snapshot);
            assertTrue(node.nodetoolCalls().contains("import ks1 users " + staging.resolve("ks1").resolve(USERS)),
                    node.nodetoolCalls().toString());
            assertFalse(Files.exists(staging), "the staging folder is removed");
            Map<String, String> after = liveFiles(node, "ks1");
            after.keySet().removeIf(k -> k.endsWith("/manifest.json"));
            Map<String, String> expected = new TreeMap<>(before);
            expected.keySet().removeIf(k -> k.contains("/.users_email_idx/")); // import rebuilds indexes
            after.keySet().removeIf(k -> k.contains("/.users_email_idx/"));
            assertEquals(expected, after, "the table's files are back, byte for byte");
        }
    }

    /**
     * A large file is read through ranged GETs side by side (four by default), or with one GET when
     * {@code --connections-per-file 1} says so; both bring back the same bytes. The proxy counts the
     * ranged requests and the connections that were open at once.
     */
    @Test
    void connectionsPerFileChoosesRangedGetsOrOneGet() throws Exception {
        String base = "connections";
        TestNode node = TestNode.create(work.resolve("node"), "localhost");
        node.addSampleTables();
        // 40 MB that does not compress: stored with lzop's framing, a little over five ranges of 8 MB.
        Path large = node.addFile("ks1", USERS, "nb-8-big-Data.db", 40L << 20, 11, true);
        List<String> backupArgs = BackupArgs.global(S3.server(), S3.name(), base);
        backupArgs.addAll(List.of("backup", "--hosts", "localhost", "--quiet", "--keyspaces", "ks1", "--table", "users",
                "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString()));
        SnapshotterProcess.Result backup = SnapshotterProcess.run(work, backupArgs, S3ProxyServer.AWS_ENV);
        assertEquals(0, backup.exitStatus(), backup.all());

        URI store = URI.create(S3.endpoint());
        InetSocketAddress target = new InetSocketAddress(store.getHost(), store.getPort());
        String restored = "localhost/ks1/" + USERS + "/nb-8-big-Data.db";
        for (int connections : new int[] {1, 4}) {
            Path dir = work.resolve("restored-" + connections);
            List<String> flags = new ArrayList<>(List.of("--keyspace", "ks1", "--table", "users", "--quiet",
                    "--download-threads", "1", "--restore-dir", dir.toString()));
            if (connections == 1) {
                flags.addAll(List.of("--connections-per-file", "1"));
            }
            // 32 MB/s per connection: a range of 8 MB takes a quarter of a second, so ranges surely overlap.
            try (ThrottlingProxy proxy = new ThrottlingProxy(target, 32L << 20)) {
                SnapshotterProcess.Result restore = SnapshotterProcess.run(work, BackupArgs.command(
                        "http://127.0.0.1:" + proxy.port(), S3.name(), base, "restore", flags.toArray(String[]::new)),
                        S3ProxyServer.AWS_ENV);
                assertEquals(0, restore.exitStatus(), restore.all());
                assertEquals(S3Objects.sha256(large), contents(dir).get(restored), "the large file, byte for byte");
                if (connections == 1) {
                    assertEquals(0, proxy.rangedRequests(), "one GET for the whole file");
                    // One request at a time; a connection the client closes may still be counted for a
                    // moment after the next one opens.
                    assertTrue(proxy.mostConnectionsAtOnce() <= 2, "one GET at a time: " + proxy.mostConnectionsAtOnce());
                } else {
                    assertTrue(proxy.rangedRequests() >= 6, "six ranges of 8 MB: " + proxy.rangedRequests());
                    assertTrue(proxy.mostConnectionsAtOnce() >= 4, "four ranges at once: " + proxy.mostConnectionsAtOnce());
                }
            }
        }
        SnapshotterProcess.Result tooMany = tool(base, "restore", "--keyspace", "ks1", "--connections-per-file", "17");
        assertEquals(2, tooMany.exitStatus(), tooMany.all());
        assertEquals("cassandra-snapshotter: --connections-per-file must be from 1 to 16", tooMany.stderr().strip());
    }

    /**
     * A stop during a local in-place restore (the node's download runs inside the command): the
     * command ends at once, nothing is imported, and the same command run again finishes the job.
     */
    @Test
    void sigtermDuringALocalInPlaceRestoreImportsNothingAndTheNextRunFinishes() throws Exception {
        String base = "in-place-stopped";
        TestNode node = TestNode.create(work.resolve("node"), "localhost");
        node.addSampleTables();
        // 24 MB that does not compress: through a proxy of 512 KB/s per connection, four ranges at a
        // time, its download takes about 12 s.
        node.addFile("ks1", USERS, "nb-7-big-Data.db", 24L << 20, 9, true);
        List<String> local = BackupArgs.localNodeAccess(node);
        List<String> backupArgs = BackupArgs.global(S3.server(), S3.name(), base);
        backupArgs.addAll(List.of("backup", "--hosts", "localhost", "--quiet"));
        backupArgs.addAll(local);
        SnapshotterProcess.Result backup = SnapshotterProcess.run(work, backupArgs, S3ProxyServer.AWS_ENV);
        assertEquals(0, backup.exitStatus(), backup.all());
        String snapshot = snapshotName(backup);
        Map<String, String> before = liveFiles(node, "ks1");
        InPlaceRestore.emptyTable(node, "ks1", USERS);
        List<String> toLocalhost = new ArrayList<>(List.of("--hosts", "localhost"));
        toLocalhost.addAll(local);
        String[] restoreFlags = InPlaceRestore.flags("ks1", USERS, toLocalhost);
        Path staging = node.dataDir().resolve("restore-" + snapshot);

        URI store = URI.create(S3.endpoint());
        try (ThrottlingProxy proxy = new ThrottlingProxy(new InetSocketAddress(store.getHost(), store.getPort()), 512L << 10)) {
            Path out = work.resolve("stopped.out");
            Process restore = SnapshotterProcess.start(work, BackupArgs.command("http://127.0.0.1:" + proxy.port(),
                    S3.name(), base, "restore", restoreFlags), S3ProxyServer.AWS_ENV, out);
            try {
                Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
                while (!Files.isDirectory(staging) && restore.isAlive() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(100);
                }
                assertTrue(restore.isAlive() && Files.isDirectory(staging), "the download started: " + Files.readString(out));
                assertTrue(SnapshotterProcess.stop(restore, Duration.ofSeconds(30)).toSeconds() < 10,
                        "at once, not after the 12 s download");
            } finally {
                restore.destroyForcibly();
            }
            String report = Files.readString(out);
            assertEquals(128 + 15, restore.exitValue(), "the status of a process ended by SIGTERM: " + report);
            assertTrue(report.contains("asked to stop (SIGTERM)"), report);
            assertFalse(node.nodetoolCalls().stream().anyMatch(call -> call.startsWith("import")),
                    "nothing imported: " + node.nodetoolCalls());
        }

        SnapshotterProcess.Result again = tool(base, "restore", restoreFlags);
        assertEquals(0, again.exitStatus(), again.all());
        assertTrue(node.nodetoolCalls().contains("import ks1 users " + staging.resolve("ks1").resolve(USERS)),
                node.nodetoolCalls().toString());
        Map<String, String> after = liveFiles(node, "ks1");
        after.keySet().removeIf(k -> k.endsWith("/manifest.json") || k.contains("/.users_email_idx/"));
        Map<String, String> expected = new TreeMap<>(before);
        expected.keySet().removeIf(k -> k.contains("/.users_email_idx/")); // import rebuilds indexes
        assertEquals(expected, after, "the table's files are back, byte for byte");
    }
}
