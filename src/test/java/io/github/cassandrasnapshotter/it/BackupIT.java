package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("backups");
    static final String BUCKET = S3.name();
    static final Map<String, String> AWS_ENV = S3ProxyServer.AWS_ENV;

    static S3ProxyServer s3Server;
    static S3Client s3;
    static S3Objects objects;
    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        s3Server = S3.server();
        s3 = S3.client();
        objects = S3.objects();
        keys = SSH.keys();
    }

    static List<String> args(String basePath, TestCluster cluster, String... extra) {
        return BackupArgs.backup(s3Server, BUCKET, basePath, cluster, keys, extra);
    }

    static List<String> withoutKeysFromEnv(List<String> args) {
        List<String> copy = new ArrayList<>(args);
        copy.remove("--aws-keys-from-env");
        return copy;
    }

    /** The one snapshot folder under the base path (the test runs one backup per base path). */
    static String snapshotOf(String basePath) {
        return snapshotOf(objects, basePath);
    }

    static String snapshotOf(S3Objects objects, String basePath) {
        Set<String> snapshots = objects.snapshots(basePath);
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
    @Test
    void aFailingHostFailsTheRunNamesHostAndFileAndLeavesNoManifest() throws Exception {
        String base = "failing/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1", "127.0.0.2")) {
            cluster.node("127.0.0.2").breakNextSnapshot();
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args(base, cluster), AWS_ENV);

            assertEquals(1, run.exitStatus(), run.all());
            assertTrue(run.stdout().contains("127.0.0.2") && run.stdout().contains("FAILED"), run.stdout());
            assertTrue(run.stdout().contains("nb-99-big-Data.db"), "failed file named: " + run.stdout());
            List<String> keysWritten = objects.keys(base + "/");
            assertFalse(keysWritten.stream().anyMatch(k -> k.endsWith("/manifest.json")), keysWritten.toString());
            String snapshot = snapshotOf(base);
            JsonNode summary = new ObjectMapper().readTree(
                    objects.text(base + "/" + snapshot + "/_runs/" + snapshot + "/summary.json"));
            assertEquals("FAILED", summary.get("status").asText());
            assertEquals("COMPLETE", summary.get("hosts").get("127.0.0.1").get("status").asText());
            assertEquals(1, summary.get("hosts").get("127.0.0.2").get("failed_files").asInt());
            for (String host : List.of("127.0.0.1", "127.0.0.2")) {
                TestNode node = cluster.node(host);
                assertFalse(node.hasSnapshots(), "snapshot cleared on " + host);
                assertTrue(node.nodetoolCalls().contains("clearsnapshot -t " + snapshot), host + ": " + node.nodetoolCalls());
            }
        }
    }

    @Test
    void aHostWhoseNodetoolFailsIsNamedAndTheOthersAreCleared() throws Exception {
        String base = "nodetool-down/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1", "127.0.0.2")) {
            Files.writeString(cluster.node("127.0.0.1").root().resolve("fail-snapshot"), "");
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args(base, cluster), AWS_ENV);

            assertEquals(1, run.exitStatus(), run.all());
            assertTrue(run.stdout().contains("nodetool snapshot on 127.0.0.1 failed: exit status 2: "
                    + "error: nodetool failed to connect"), run.stdout());
            assertFalse(objects.keys(base + "/").stream().anyMatch(k -> k.endsWith("/manifest.json")));
            assertFalse(cluster.node("127.0.0.2").hasSnapshots(), "the host that took its snapshot had it cleared");
        }
    }

    /**
     * A snapshot command that made its snapshot and then never answered (timed out, or its connection
     * dropped) leaves no snapshot behind: every host the command was sent to is cleared. Nodes of
     * Cassandra 4.1 and later take it with --ttl (longer than --agent-timeout), older ones without.
     */
    @Test
    void aSnapshotCommandThatTimesOutAfterMakingItsSnapshotLeavesNoSnapshotOnTheNode() throws Exception {
        String base = "snapshot-hangs/cluster";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1", "127.0.0.2")) {
            TestNode hangs = cluster.node("127.0.0.1");
            TestNode old = cluster.node("127.0.0.2");
            Files.writeString(hangs.root().resolve("hang-after-snapshot"), "");
            Files.writeString(old.root().resolve("cassandra-version"), "4.0.11");
            SnapshotterProcess.Result run = SnapshotterProcess.run(work,
                    args(base, cluster, "--node-command-timeout", "3", "--agent-timeout", "60"), AWS_ENV);

            assertEquals(1, run.exitStatus(), run.all());
            assertTrue(run.stdout().contains("nodetool snapshot on 127.0.0.1 failed: timed out after 3 s"), run.stdout());
            assertFalse(objects.keys(base + "/").stream().anyMatch(k -> k.endsWith("/manifest.json")));
            String snapshot = snapshotOf(base);
            // 60 min of --agent-timeout, 3 x 3 s of nodetool, 30 min of margin: 90 min 9 s, in whole minutes
            assertTrue(hangs.nodetoolCalls().stream().anyMatch(c -> c.startsWith("snapshot -t " + snapshot + " --ttl 91m")),
                    hangs.nodetoolCalls().toString());
            assertTrue(old.nodetoolCalls().stream().anyMatch(c -> c.equals("snapshot -t " + snapshot)),
                    "no --ttl on Cassandra 4.0: " + old.nodetoolCalls());
            for (TestNode node : List.of(hangs, old)) {
                assertTrue(node.nodetoolCalls().contains("clearsnapshot -t " + snapshot), node.nodetoolCalls().toString());
                assertFalse(node.hasSnapshots(), "no snapshot left on " + node.root());
            }
            assertFalse(run.stdout().contains("WARNING: snapshot"), "both were cleared: " + run.stdout());
        }
    }

    /**
     * The secrets a backup carries (the AWS secret key from the command line, the client-side encryption
     * keys) reach no node command line, no log and no metadata object. The agents run at debug level,
     * the coordinator with -v, and everything each node's commands wrote on stderr is searched too: the
     * coordinator shows an agent's stderr only when it fails.
     */
    @Test
    void noSecretReachesANodeCommandLineALogOrTheBucket() throws Exception {
        String base = "secret";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            Path keyFile = work.resolve("keys.json");
            SnapshotterProcess.Result keygen = SnapshotterProcess.run(work, List.of("keygen", keyFile.toString()));
            assertEquals(0, keygen.exitStatus(), keygen.all());
            List<String> secrets = new ArrayList<>(List.of(S3ProxyServer.CREDENTIAL));
            new ObjectMapper().readTree(keyFile.toFile()).findValues("value").forEach(v -> secrets.add(v.asText()));
            assertTrue(secrets.size() >= 3, "the key file's two keys: " + secrets.size());

            List<String> args = withoutKeysFromEnv(args(base, cluster));
            args.set(args.indexOf("--agent-command") + 1, SnapshotterProcess.java()
                    + " -Xmx256m -Dsnapshotter.log.level=DEBUG -Dsnapshotter.root.log.level=INFO -jar "
                    + SnapshotterProcess.jar());
            args.addAll(0, List.of("-v", "--aws-access-key-id", S3ProxyServer.IDENTITY,
                    "--aws-secret-access-key", S3ProxyServer.CREDENTIAL, "--encryption-key-file", keyFile.toString()));
            // No keys in the environment: the node's agent can only have them from its job on stdin.
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, Map.of());
            assertEquals(0, run.exitStatus(), run.all());

            List<String> nodeCommands = cluster.allCommands();
            assertTrue(nodeCommands.stream().anyMatch(c -> c.contains("agent")), nodeCommands.toString());
            assertTrue(run.stderr().contains("INFO"), "verbose logging was on: " + run.stderr());
            String agentLog = cluster.allStderr();
            assertTrue(agentLog.contains("DEBUG"), "the agent logged at debug level: " + agentLog);
            for (String secret : secrets) {
                for (String command : nodeCommands) {
                    assertFalse(command.contains(secret), "a secret in a node command line: " + command);
                }
                assertFalse(run.all().contains(secret), "a secret in the coordinator's output or log");
                assertFalse(agentLog.contains(secret), "a secret in an agent's log");
                for (String key : objects.keys(base + "/")) {
                    if (!key.contains(".lzo")) {
                        assertFalse(objects.text(key).contains(secret), "a secret in " + key);
                    }
                }
            }
        }
    }

    @Test
    void leadingVariablesOfTheAgentCommandSetTheAgentsEnvironment() throws Exception {
        String base = "agent-env";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            List<String> args = args(base, cluster);
            // As the README suggests it; JAVA_TOOL_OPTIONS is read by the agent's JVM itself.
            String agent = "JAVA_TOOL_OPTIONS=-Dsnapshotter.test.marker=1 " + SnapshotterProcess.agentCommand("64m");
            args.set(args.indexOf("--agent-command") + 1, agent);
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, AWS_ENV);
            assertEquals(0, run.exitStatus(), run.all());
            String agentLine = cluster.allCommands().stream().filter(c -> c.contains("'agent'")).findFirst().orElseThrow();
            assertTrue(agentLine.contains("'env' 'JAVA_TOOL_OPTIONS=-Dsnapshotter.test.marker=1' '"), agentLine);
            assertNotNull(objects.text(base + "/" + snapshotOf(base) + "/manifest.json"));
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedByDefault() throws Exception {
        String base = "unknown-host-key";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            TestSshServer.Keys other = TestSshServer.Keys.generate(Files.createDirectories(work.resolve("other")));
            Files.writeString(cluster.knownHosts(), other.knownHostsLine("127.0.0.1", cluster.port()) + "\n");
            assertTheHostIsRefused(base, cluster);
        }
    }

    /** known_hosts names another host only: the key of 127.0.0.1 is missing, not changed. */
    @Test
    void aHostMissingFromKnownHostsIsRefusedByDefault() throws Exception {
        String base = "missing-host-key";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            Files.writeString(cluster.knownHosts(), keys.knownHostsLine("127.0.0.2", cluster.port()) + "\n");
            assertTheHostIsRefused(base, cluster);
        }
    }

    /** A backup of 127.0.0.1 exits 1 naming its host key, runs nothing there, writes nothing, leaves known_hosts. */
    private void assertTheHostIsRefused(String base, TestCluster cluster) throws Exception {
        byte[] knownHostsBefore = Files.readAllBytes(cluster.knownHosts());
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, args(base, cluster), AWS_ENV);

        assertEquals(1, run.exitStatus(), run.all());
        assertTrue(run.stdout().contains("127.0.0.1") && run.stdout().contains("host key"), run.stdout());
        assertTrue(cluster.node("127.0.0.1").nodetoolCalls().isEmpty(), "no command ran on an unverified host");
        assertTrue(cluster.allCommands().isEmpty(), cluster.allCommands().toString());
        assertTrue(objects.keys(base + "/").stream().noneMatch(k -> k.endsWith("/manifest.json")));
        assertArrayEquals(knownHostsBefore, Files.readAllBytes(cluster.knownHosts()), "known_hosts unchanged");
    }

    @Test
    void aThreeHundredMegabyteFileGoesThroughAnAgentWithA64MegabyteHeap() throws Exception {
        String base = "large";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            TestNode node = cluster.node("127.0.0.1");
            Path large = node.addFile("ks1", "big-11111111111111111111111111111111", "nb-7-big-Data.db",
                    300L * 1024 * 1024, 99, true);
            List<String> args = args(base, cluster, "--buffer-size", "5", "--files-at-once", "2", "--parts-in-flight", "2",
                    "--keyspaces", "ks1", "--table", "big");
            args.set(args.indexOf("--agent-command") + 1, SnapshotterProcess.agentCommand("64m"));
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, AWS_ENV);
            assertEquals(0, run.exitStatus(), run.all());
            assertTrue(cluster.allCommands().stream().anyMatch(c -> c.contains("'-Xmx64m'")), cluster.allCommands().toString());

            String snapshot = snapshotOf(base);
            Path data = node.root().resolve("data");
            String key = base + "/" + snapshot + "/127.0.0.1" + data.resolve("ks1/big-11111111111111111111111111111111"
                    + "/snapshots/" + snapshot + "/nb-7-big-Data.db") + ".lzo";
            assertEquals(S3Objects.sha256(large), objects.decompressedSha256(key));
        }
    }

    @Test
    void localhostIsBackedUpWithoutSshAndFiltersApply() throws Exception {
        String base = "local";
        TestNode node = TestNode.create(work.resolve("local-node"), "127.0.0.1");
        node.addSampleTables();
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, List.of(
                "--s3-bucket-name", BUCKET, "--s3-base-path", base, "--s3-endpoint", s3Server.endpoint(),
                "--aws-keys-from-env", "backup", "--hosts", "localhost", "--keyspaces", "ks1",
                "--exclude-tables", "events", "--nodetool-path", node.nodetool().toString(),
                "--cassandra-conf-path", node.confDir().toString()), AWS_ENV);
        assertEquals(0, run.exitStatus(), run.all());

        String snapshot = snapshotOf(base);
        List<String> dataKeys = objects.keys(base + "/" + snapshot + "/localhost/");
        assertFalse(dataKeys.isEmpty());
        for (String key : dataKeys) {
            assertTrue(key.contains("/ks1/users-"), "only ks1.users is backed up: " + key);
        }
        assertTrue(dataKeys.stream().anyMatch(k -> k.contains("/.users_email_idx/")), "index files included");
        assertEquals("version", node.nodetoolCalls().get(0), node.nodetoolCalls().toString());
        assertTrue(node.nodetoolCalls().get(1).startsWith("snapshot -t " + snapshot + " --ttl "), node.nodetoolCalls().toString());
        assertTrue(node.nodetoolCalls().get(1).endsWith(" ks1"), node.nodetoolCalls().toString());
        assertNotNull(objects.text(base + "/" + snapshot + "/manifest.json"));
        assertFalse(node.hasSnapshots());
        // What the operator reads, once each: the progress lines, not a log line repeating them.
        assertEquals(1, occurrences(run.stderr(), "new snapshot " + snapshot + ":"), run.stderr());
        assertEquals(1, occurrences(run.stderr(), "to upload"), run.stderr());
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void backupSchemaStoresEachKeyspacesSchemaWithThePasswordOnlyOnStdin() throws Exception {
        String base = "schema";
        String password = "cql-Pa55word-that-must-not-leak";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args(base, cluster, "--keyspaces", "ks1,ks2",
                    "--backup-schema", "--cassandra-bin-dir", "bin", "--cqlsh-user", "backup",
                    "--cqlsh-password=" + password), AWS_ENV);
            assertEquals(0, run.exitStatus(), run.all());

            String snapshot = snapshotOf(base);
            assertTrue(objects.text(base + "/" + snapshot + "/schema_ks1.cql").startsWith("CREATE KEYSPACE ks1 "));
            assertTrue(objects.text(base + "/" + snapshot + "/schema_ks2.cql").startsWith("CREATE KEYSPACE ks2 "));
            String cqlshrc = Files.readString(cluster.node("127.0.0.1").root().resolve("cqlshrc.seen"));
            assertTrue(cqlshrc.contains("username = backup") && cqlshrc.contains("password = " + password), cqlshrc);
            for (String command : cluster.allCommands()) {
                assertFalse(command.contains(password), "password in a node command line: " + command);
            }
            assertFalse(run.all().contains(password));
        }
    }

    /**
     * --cqlsh-password-file and --cqlsh-password-env: the password reaches cqlsh (its cqlshrc, on stdin) and
     * no command line, here or on the node, nor the output.
     */
    @Test
    void theCqlshPasswordFromAFileOrTheEnvironmentReachesCqlshOnlyOnStdin() throws Exception {
        String password = "cql-Pa55word-from-elsewhere";
        Path file = work.resolve("cqlsh-password");
        Files.writeString(file, password + "\n");
        Map<String, String> env = new HashMap<>(AWS_ENV);
        env.put("CQLSH_PW", password);
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            Path seen = cluster.node("127.0.0.1").root().resolve("cqlshrc.seen");
            for (List<String> flag : List.of(List.of("--cqlsh-password-file", file.toString()),
                    List.of("--cqlsh-password-env", "CQLSH_PW"))) {
                Files.deleteIfExists(seen);
                List<String> extra = new ArrayList<>(List.of("--keyspaces", "ks1", "--new-snapshot", "--backup-schema",
                        "--cassandra-bin-dir", "bin", "--cqlsh-user", "backup"));
                extra.addAll(flag);
                SnapshotterProcess.Result run = SnapshotterProcess.run(work, args("schema-" + flag.get(0).length(), cluster,
                        extra.toArray(String[]::new)), env);
                assertEquals(0, run.exitStatus(), run.all());
                String cqlshrc = Files.readString(seen);
                assertTrue(cqlshrc.contains("username = backup\npassword = " + password + "\n"), flag + ": " + cqlshrc);
                for (String command : cluster.allCommands()) {
                    assertFalse(command.contains(password), "password in a node command line: " + command);
                }
                assertFalse(run.all().contains(password), run.all());
            }
        }
    }

    /** --user names who logs in: the node's key and password are its user's, so another name is refused. */
    @Test
    void aUserTheNodeDoesNotHaveIsRefusedAtLoginWithTheRightKeyOrPassword() throws Exception {
        Path file = work.resolve("ssh-password");
        Files.writeString(file, TestSshServer.PASSWORD + "\n");
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            for (boolean withPassword : new boolean[] {false, true}) {
                List<String> access = new ArrayList<>(BackupArgs.nodeAccess(cluster, keys));
                access.set(access.indexOf("--user") + 1, "backup");
                if (withPassword) {
                    int key = access.indexOf("--sshkey");
                    access.subList(key, key + 2).clear();
                    access.addAll(List.of("--password-file", file.toString()));
                }
                List<String> command = BackupArgs.global(s3Server, BUCKET, "wrong-user-" + withPassword);
                command.addAll(List.of("backup", "--hosts", cluster.hosts(), "--keyspaces", "ks1"));
                command.addAll(access);
                SnapshotterProcess.Result run = SnapshotterProcess.run(work, command, AWS_ENV);
                assertEquals(1, run.exitStatus(), run.all());
                assertTrue(run.stdout().contains("127.0.0.1") && run.stdout().contains("FAILED"), run.stdout());
                assertEquals(List.of(), cluster.allCommands(), "nothing ran on the node");
                assertEquals(List.of(), objects.keys("wrong-user-" + withPassword + "/").stream()
                        .filter(k -> k.endsWith("manifest.json")).toList(), "no manifest");
            }
        }
    }

    /** --password-file and --password-env log in with the SSH password, the client key not given. */
    @Test
    void theSshPasswordFromAFileOrTheEnvironmentLogsIn() throws Exception {
        Path file = work.resolve("ssh-password");
        Files.writeString(file, TestSshServer.PASSWORD + "\n");
        Map<String, String> env = new HashMap<>(AWS_ENV);
        env.put("SSH_PW", TestSshServer.PASSWORD);
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            List<String> access = new ArrayList<>(BackupArgs.nodeAccess(cluster, keys));
            int key = access.indexOf("--sshkey");
            access.subList(key, key + 2).clear();
            for (List<String> flag : List.of(List.of("--password-file", file.toString()), List.of("--password-env", "SSH_PW"),
                    List.of("--password-env", "NO_SUCH_PW"))) {
                List<String> command = BackupArgs.global(s3Server, BUCKET, "ssh-password-" + flag.get(1).length());
                command.addAll(List.of("backup", "--hosts", cluster.hosts(), "--keyspaces", "ks1"));
                command.addAll(access);
                command.addAll(flag);
                SnapshotterProcess.Result run = SnapshotterProcess.run(work, command, env);
                if (flag.get(1).equals("NO_SUCH_PW")) {
                    assertEquals(2, run.exitStatus(), run.all());
                    assertEquals("cassandra-snapshotter: --password-env: the environment has no such variable, or it is empty",
                            run.stderr().strip());
                    continue;
                }
                assertEquals(0, run.exitStatus(), flag + ": " + run.all());
                assertFalse(run.all().contains(TestSshServer.PASSWORD), run.all());
                for (String line : cluster.allCommands()) {
                    assertFalse(line.contains(TestSshServer.PASSWORD), "password in a node command line: " + line);
                }
            }
        }
    }

    @Test
    void anAgentOfAnotherVersionIsRefusedWithTheFix() throws Exception {
        String base = "old-agent";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            Path oldAgent = cluster.node("127.0.0.1").root().resolve("bin/old-agent");
            Files.writeString(oldAgent, "#!/bin/sh\nread -r job\n"
                    + "echo '{\"type\":\"START\",\"version\":\"1.9.0\",\"filesTotal\":0,\"bytesTotal\":0}'\n"
                    + "echo '{\"type\":\"DONE\",\"filesDone\":0,\"bytesDone\":0,\"filesFailed\":0}'\n");
            oldAgent.toFile().setExecutable(true);
            List<String> args = args(base, cluster);
            args.set(args.indexOf("--agent-command") + 1, "bin/old-agent");
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, AWS_ENV);

            assertEquals(1, run.exitStatus(), run.all());
            assertTrue(run.stdout().contains("agent version 1.9.0 differs from coordinator version")
                    && run.stdout().contains("install cassandra-snapshotter"), run.stdout());
            assertFalse(cluster.node("127.0.0.1").hasSnapshots());
        }
    }

    @Test
    void aMissingAgentSaysHowToInstallIt() throws Exception {
        String base = "no-agent";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            List<String> args = args(base, cluster);
            args.set(args.indexOf("--agent-command") + 1, "cassandra-snapshotter-not-installed");
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, AWS_ENV);

            assertEquals(1, run.exitStatus(), run.all());
            assertTrue(run.stdout().contains("the agent did not start on 127.0.0.1 (exit status 127)")
                    && run.stdout().contains("--agent-command"), run.stdout());
        }
    }

    @Test
    void aSnapshotThatFindsNoFileFailsAndNamesTheConfigurationToCheck() throws Exception {
        String base = "wrong-conf";
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            // A cassandra.yaml that names another, empty, data directory: the snapshot is made where the node
            // keeps its data, and the agent looks where it was told.
            Path otherConf = Files.createDirectories(cluster.node("127.0.0.1").root().resolve("other-conf"));
            Path empty = Files.createDirectories(cluster.node("127.0.0.1").root().resolve("empty-data"));
            Files.writeString(otherConf.resolve("cassandra.yaml"), "data_file_directories:\n    - " + empty + "\n");
            List<String> args = args(base, cluster);
            args.set(args.indexOf("--cassandra-conf-path") + 1, "other-conf");
            SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, AWS_ENV);

            assertEquals(1, run.exitStatus(), "an empty backup is not a backup: " + run.all());
            assertTrue(run.stdout().contains("has no file on 127.0.0.1 under [" + empty + "]")
                    && run.stdout().contains("--cassandra-conf-path (now other-conf)"), run.stdout());
            assertTrue(objects.keys(base + "/").stream().noneMatch(k -> k.endsWith("/manifest.json")), "no complete mark");
        }
    }
}
