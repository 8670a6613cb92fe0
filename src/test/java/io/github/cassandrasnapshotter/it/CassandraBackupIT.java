package io.github.cassandrasnapshotter.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.CassandraNode;
import io.github.cassandrasnapshotter.testsupport.FreePorts;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.InetSocketAddress;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backup of a real Cassandra 5.0 node end to end: the command line as an operator runs it, over
 * SSH to the node, nodetool against the running node, the agent reading what Cassandra wrote,
 * into a real S3 server. One node, shared by the tests of this class.
 */
class CassandraBackupIT {
    static final String BUCKET = "cassandra-backups";
    static final String HOST = "127.0.0.1";
    static final Map<String, String> AWS_ENV = Map.of(
            "AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL);

    @TempDir
    static Path work;
    static S3ProxyServer s3Server;
    static S3Client s3;
    static S3Objects objects;
    static CassandraNode node;
    static TestSshServer ssh;
    static TestSshServer.Keys keys;
    static Path knownHosts;
    static CqlSession cql;

    @BeforeAll
    static void start() throws Exception {
        s3Server = S3ProxyServer.start(work);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        objects = new S3Objects(s3, BUCKET);
        node = CassandraNode.start(work.resolve("node1"), HOST, HOST, FreePorts.find(), FreePorts.find());
        keys = TestSshServer.Keys.generate(work);
        int sshPort = FreePorts.find();
        ssh = TestSshServer.start(HOST, sshPort, keys, node.root());
        knownHosts = work.resolve("known_hosts");
        Files.writeString(knownHosts, keys.knownHostsLine(HOST, sshPort) + "\n");
        cql = CqlSession.builder().addContactPoint(new InetSocketAddress(HOST, node.nativePort()))
                .withLocalDatacenter("datacenter1").build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cql != null) {
            cql.close();
        }
        if (ssh != null) {
            ssh.close();
        }
        if (node != null) {
            node.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    static List<String> backupArgs(String basePath, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--s3-bucket-name", BUCKET, "--s3-base-path", basePath, "--s3-endpoint", s3Server.endpoint(),
                "--aws-keys-from-env", "backup", "--hosts", HOST, "--user", "cassandra",
                "--sshport", String.valueOf(ssh.port()), "--sshkey", keys.clientKeyFile().toString(),
                "--ssh-known-hosts", knownHosts.toString(),
                "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString(),
                "--agent-command", SnapshotterProcess.agentCommand("256m")));
        args.addAll(List.of(extra));
        return args;
    }

    static void writeRows(String keyspace, int rows) {
        PreparedStatement orders = cql.prepare("INSERT INTO " + keyspace + ".orders (id, customer, total, note) VALUES (?, ?, ?, ?)");
        PreparedStatement events = cql.prepare("INSERT INTO " + keyspace + ".events (day, at, kind, payload) VALUES (?, ?, ?, ?)");
        PreparedStatement users = cql.prepare("INSERT INTO " + keyspace + ".users (id, email, name) VALUES (?, ?, ?)");
        for (int i = 0; i < rows; i++) {
            cql.execute(orders.bind(i, "customer-" + (i % 97), (double) i * 1.5, "order note " + i));
            cql.execute(events.bind("2026-11-" + (10 + i % 10), (long) i, "kind-" + (i % 5), "payload ".repeat(1 + i % 7) + i));
            cql.execute(users.bind(i, "user" + i + "@example.com", "User " + i));
        }
    }

    @Test
    void everySstableComponentOfEveryTableIsBackedUpExactlyAndTheSnapshotIsCleared() throws Exception {
        cql.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        cql.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, customer text, total double, note text)");
        cql.execute("CREATE TABLE shop.events (day text, at bigint, kind text, payload text, PRIMARY KEY (day, at))"
                + " WITH compression = {'enabled': 'false'}");
        cql.execute("CREATE TABLE shop.users (id int PRIMARY KEY, email text, name text)");
        cql.execute("CREATE INDEX users_by_email ON shop.users (email)");
        writeRows("shop", 3000);
        node.nodetool("flush", "shop");
        // Keep the files on disk what they were at snapshot time, to compare them after the backup.
        node.nodetool("disableautocompaction", "shop");

        SnapshotterProcess.Result run = SnapshotterProcess.run(work, backupArgs("e2e", "--keyspaces", "shop"), AWS_ENV);
        assertEquals(0, run.exitStatus(), run.all());

        String snapshot = BackupIT.snapshotOf(objects, "e2e");
        JsonNode hostFiles = new ObjectMapper().readTree(
                objects.text("e2e/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json"));
        Map<String, String> recorded = new HashMap<>();
        hostFiles.get("files").forEach(f -> recorded.put(f.get("key").asText(), f.get("sha256").asText()));

        boolean sawIndexFile = false;
        for (String table : List.of("orders", "events", "users")) {
            List<Path> live = node.liveFiles("shop", table);
            assertTrue(live.stream().anyMatch(p -> p.getFileName().toString().endsWith("-Data.db")), table + ": " + live);
            Set<String> expectedKeys = new HashSet<>();
            for (Path file : live) {
                Path tableDir = node.dataDir().resolve("shop").resolve(node.dataDir().resolve("shop").relativize(file).getName(0));
                Path inSnapshot = tableDir.resolve("snapshots").resolve(snapshot).resolve(tableDir.relativize(file));
                String key = "e2e/" + snapshot + "/" + HOST + inSnapshot + ".lzo";
                expectedKeys.add(key);
                String sha = S3Objects.sha256(file);
                assertEquals(sha, objects.decompressedSha256(key), "content of " + key);
                assertEquals(sha, recorded.get(key), "manifest SHA-256 of " + key);
                sawIndexFile |= file.toString().contains("/.users_by_email/");
            }
            Set<String> uploaded = new HashSet<>();
            for (String key : recorded.keySet()) {
                if (key.contains("/shop/" + table + "-") && !key.endsWith("/manifest.json.lzo") && !key.endsWith("/schema.cql.lzo")) {
                    uploaded.add(key);
                }
            }
            assertEquals(expectedKeys, uploaded, "every component of shop." + table + " and nothing else");
        }
        assertTrue(sawIndexFile, "the secondary index's files were among them");
        assertFalse(node.hasSnapshot(snapshot), "the node's snapshot is cleared");
        assertTrue(objects.text("e2e/" + snapshot + "/ring").contains(HOST), "ring names the node");
        assertTrue(objects.keys("e2e/" + snapshot + "/").contains("e2e/" + snapshot + "/manifest.json"));
    }

    @Test
    void aTableAKtListAndExcludedTablesBackUpExactlyTheirFilesAndTheSchemaIsTheNodes() throws Exception {
        for (String keyspace : List.of("pick1", "pick2")) {
            cql.execute("CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            for (String table : List.of("a", "b", "c")) {
                cql.execute("CREATE TABLE " + keyspace + "." + table + " (id int PRIMARY KEY, v text, " + table + "_only bigint)");
                PreparedStatement insert = cql.prepare("INSERT INTO " + keyspace + "." + table + " (id, v) VALUES (?, ?)");
                for (int i = 0; i < 100; i++) {
                    cql.execute(insert.bind(i, table + " " + i));
                }
            }
            node.nodetool("flush", keyspace);
            node.nodetool("disableautocompaction", keyspace);
        }

        // --table with one keyspace: nodetool snapshot --table a pick1; with the schema as cqlsh prints it.
        SnapshotterProcess.Result oneTable = SnapshotterProcess.run(work, backupArgs("pick-table", "--keyspaces", "pick1",
                "--table", "a", "--backup-schema", "--cassandra-bin-dir", node.root().resolve("bin").toString()), AWS_ENV);
        assertEquals(0, oneTable.exitStatus(), oneTable.all());
        String snapshot = BackupIT.snapshotOf(objects, "pick-table");
        assertEquals(snapshotKeys("pick-table", snapshot, List.of("pick1.a")), dataKeys("pick-table", snapshot),
                "--table a: the files of pick1.a and nothing else");
        String schemaKey = "pick-table/" + snapshot + "/schema_pick1.cql";
        assertTrue(objects.keys("pick-table/" + snapshot + "/").contains(schemaKey), "--backup-schema stored " + schemaKey);
        String schema = objects.text(schemaKey);
        String createA = cql.execute("DESCRIBE TABLE pick1.a").one().getString("create_statement");
        assertTrue(createA.startsWith("CREATE TABLE pick1.a (") && createA.contains("a_only bigint"), createA);
        assertTrue(schema.contains(createA), "the node's CREATE TABLE of pick1.a in the schema object:\n" + schema);
        assertTrue(schema.contains("CREATE TABLE pick1.c ("), "every table of the keyspace:\n" + schema);
        assertFalse(schema.contains("pick2"), schema);

        // --table with two keyspaces: nodetool snapshot --kt-list pick1.b,pick2.b
        SnapshotterProcess.Result ktList = SnapshotterProcess.run(work,
                backupArgs("pick-kt-list", "--keyspaces", "pick1,pick2", "--table", "b"), AWS_ENV);
        assertEquals(0, ktList.exitStatus(), ktList.all());
        snapshot = BackupIT.snapshotOf(objects, "pick-kt-list");
        assertEquals(snapshotKeys("pick-kt-list", snapshot, List.of("pick1.b", "pick2.b")), dataKeys("pick-kt-list", snapshot),
                "--table b of two keyspaces: the files of pick1.b and pick2.b and nothing else");

        SnapshotterProcess.Result exclude = SnapshotterProcess.run(work,
                backupArgs("pick-exclude", "--keyspaces", "pick1,pick2", "--exclude-tables", "c"), AWS_ENV);
        assertEquals(0, exclude.exitStatus(), exclude.all());
        snapshot = BackupIT.snapshotOf(objects, "pick-exclude");
        assertEquals(snapshotKeys("pick-exclude", snapshot, List.of("pick1.a", "pick1.b", "pick2.a", "pick2.b")),
                dataKeys("pick-exclude", snapshot), "--exclude-tables c: every other table's files and none of c's");
        assertTrue(objects.keys("pick-exclude/" + snapshot + "/").stream().noneMatch(k -> k.contains("/c-")),
                "no object of an excluded table");
        assertFalse(node.hasSnapshot(snapshot), "the node's snapshot is cleared");
    }

    /** The keys of the live files of these tables ({@code keyspace.table}) in a snapshot's backup. */
    static Set<String> snapshotKeys(String base, String snapshot, List<String> tables) throws Exception {
        Set<String> keys = new HashSet<>();
        for (String table : tables) {
            String[] names = table.split("\\.");
            Path tableDir = node.tableDir(names[0], names[1]);
            for (Path file : node.liveFiles(names[0], names[1])) {
                keys.add(base + "/" + snapshot + "/" + HOST
                        + tableDir.resolve("snapshots").resolve(snapshot).resolve(tableDir.relativize(file)) + ".lzo");
            }
        }
        return keys;
    }

    /** The data files a snapshot's backup recorded, less Cassandra's own manifest.json and schema.cql. */
    static Set<String> dataKeys(String base, String snapshot) throws Exception {
        Set<String> keys = new HashSet<>();
        for (JsonNode file : hostFiles(base, snapshot, snapshot)) {
            String key = file.get("key").asText();
            if (!key.endsWith("/manifest.json.lzo") && !key.endsWith("/schema.cql.lzo")) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Test
    void anIncrementalRunSendsOnlyNewSstablesAndANewSnapshotOfUnchangedDataCopiesInsteadOfSending() throws Exception {
        cql.execute("CREATE KEYSPACE inc WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        cql.execute("CREATE TABLE inc.items (id int PRIMARY KEY, v text)");
        PreparedStatement insert = cql.prepare("INSERT INTO inc.items (id, v) VALUES (?, ?)");
        for (int i = 0; i < 1000; i++) {
            cql.execute(insert.bind(i, "first " + i));
        }
        node.nodetool("flush", "inc");
        node.nodetool("disableautocompaction", "inc");
        String base = "incremental";
        SnapshotterProcess.Result first = SnapshotterProcess.run(work, backupArgs(base, "--keyspaces", "inc"), AWS_ENV);
        assertEquals(0, first.exitStatus(), first.all());
        String snapshot = BackupIT.snapshotOf(objects, base);
        Set<String> inSnapshot = new HashSet<>();
        hostFiles(base, snapshot, snapshot).forEach(f -> inSnapshot.add(f.get("name").asText()));

        for (int i = 1000; i < 1500; i++) {
            cql.execute(insert.bind(i, "second " + i));
        }
        SnapshotterProcess.Result second = SnapshotterProcess.run(work, backupArgs(base, "--keyspaces", "inc"), AWS_ENV);
        assertEquals(0, second.exitStatus(), second.all());
        assertEquals(snapshot, BackupIT.snapshotOf(objects, base), "no new snapshot folder");
        String run = second.stdout().replaceFirst("(?s).*incremental run (\\d{14}) of snapshot " + snapshot + ".*", "$1");
        assertTrue(run.matches("\\d{14}") && !run.equals(snapshot), second.stdout());

        Path tableDir = node.tableDir("inc", "items");
        Map<String, Path> newFiles = new HashMap<>();
        for (Path live : node.liveFiles("inc", "items")) {
            String name = tableDir.relativize(live).toString();
            if (!inSnapshot.contains(name)) {
                newFiles.put(name, live);
            }
        }
        assertTrue(newFiles.keySet().stream().anyMatch(n -> n.endsWith("-Data.db")), "the flush wrote an SSTable");
        Map<String, JsonNode> uploaded = new HashMap<>();
        hostFiles(base, snapshot, run).forEach(f -> uploaded.put(f.get("name").asText(), f));
        assertEquals(newFiles.keySet(), uploaded.keySet(), "exactly the SSTable flushed since the snapshot");
        for (Map.Entry<String, Path> file : newFiles.entrySet()) {
            JsonNode record = uploaded.get(file.getKey());
            assertEquals("INCREMENTAL", record.get("kind").asText());
            assertEquals(base + "/" + snapshot + "/" + HOST + tableDir.resolve("backups").resolve(file.getKey()) + ".lzo",
                    record.get("key").asText());
            String sha = S3Objects.sha256(file.getValue());
            assertEquals(sha, record.get("sha256").asText());
            assertEquals(sha, objects.decompressedSha256(record.get("key").asText()));
        }
        assertEquals(List.of(), node.backupLinks("inc", "items"), "the uploaded links are removed on the node");

        Map<String, String> storedBefore = new HashMap<>();
        for (String runId : List.of(snapshot, run)) {
            hostFiles(base, snapshot, runId).forEach(f -> storedBefore.put(f.get("name").asText(), f.get("sha256").asText()));
        }
        SnapshotterProcess.Result third = SnapshotterProcess.run(work,
                backupArgs(base, "--keyspaces", "inc", "--new-snapshot"), AWS_ENV);
        assertEquals(0, third.exitStatus(), third.all());
        String newSnapshot = third.stdout().replaceFirst("(?s).*backup snapshot (\\d{14}) .*", "$1");
        assertTrue(newSnapshot.matches("\\d{14}") && !newSnapshot.equals(snapshot), third.stdout());
        Map<String, JsonNode> stored = new HashMap<>();
        hostFiles(base, newSnapshot, newSnapshot).forEach(f -> stored.put(f.get("name").asText(), f));
        int copied = 0;
        for (Path live : node.liveFiles("inc", "items")) {
            String name = tableDir.relativize(live).toString();
            JsonNode record = stored.get(name);
            String sha = S3Objects.sha256(live);
            assertEquals(sha, objects.decompressedSha256(record.get("key").asText()), "the new snapshot holds " + name);
            if (sha.equals(storedBefore.get(name))) {
                assertEquals("REFERENCED", record.get("action").asText(), "unchanged " + name + " is not sent again");
                assertTrue(record.get("key").asText().startsWith(base + "/" + snapshot + "/"),
                        "named where the first snapshot stored it: " + record);
                copied++;
            }
        }
        assertTrue(copied >= newFiles.size(), "every unchanged component referenced: " + copied);
        System.out.println("new snapshot of unchanged data: " + copied + " of " + stored.size() + " files referenced; "
                + third.stdout().lines().filter(l -> l.contains("sent from the nodes")).findFirst().orElse(""));
        for (JsonNode record : stored.values()) {
            if (record.get("action").asText().equals("UPLOADED")) {
                String name = record.get("name").asText();
                assertFalse(record.get("sha256").asText().equals(storedBefore.get(name)),
                        "only new or changed content is sent, not " + name);
            }
        }
        assertTrue(third.stdout().contains("referenced (stored once, by an earlier backup)"), third.stdout());
    }

    @Test
    void restoredInPlaceEveryRowComesBackAndAPointInTimeRestoreStopsAtTheSnapshot() throws Exception {
        cql.execute("CREATE KEYSPACE rst WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        cql.execute("CREATE TABLE rst.items (id int PRIMARY KEY, v text)");
        PreparedStatement insert = cql.prepare("INSERT INTO rst.items (id, v) VALUES (?, ?)");
        int n = 800;
        int m = 400;
        for (int i = 0; i < n; i++) {
            cql.execute(insert.bind(i, "first " + i));
        }
        String base = "restore";
        SnapshotterProcess.Result first = SnapshotterProcess.run(work, backupArgs(base, "--keyspaces", "rst"), AWS_ENV);
        assertEquals(0, first.exitStatus(), first.all());
        String snapshot = BackupIT.snapshotOf(objects, base);
        for (int i = n; i < n + m; i++) {
            cql.execute(insert.bind(i, "second " + i));
        }
        SnapshotterProcess.Result second = SnapshotterProcess.run(work, backupArgs(base, "--keyspaces", "rst"), AWS_ENV);
        assertEquals(0, second.exitStatus(), second.all());
        // The rows written since the snapshot are only in the incremental run's backups/ files: a new
        // snapshot would hold them too, and the rows alone could not tell the replay from it.
        String run = second.stdout().replaceFirst("(?s).*incremental run (\\d{14}) of snapshot " + snapshot + ".*", "$1");
        assertTrue(run.matches("\\d{14}") && !run.equals(snapshot), "the second backup is an incremental run: " + second.stdout());
        assertEquals("INCREMENTAL", new ObjectMapper().readTree(
                objects.text(base + "/" + snapshot + "/_runs/" + run + "/summary.json")).get("kind").asText());
        List<JsonNode> runFiles = hostFiles(base, snapshot, run);
        assertTrue(runFiles.stream().anyMatch(f -> f.get("key").asText().contains("/backups/")
                && f.get("key").asText().endsWith("-Data.db.lzo")), "the run stored the flushed SSTable: " + runFiles);
        Map<Integer, String> written = rows("rst.items");
        assertEquals(n + m, written.size());

        truncate("rst.items");
        SnapshotterProcess.Result restore = SnapshotterProcess.run(work, restoreArgs(base), AWS_ENV);
        assertEquals(0, restore.exitStatus(), restore.all());
        int replayed = hostFiles(base, snapshot, snapshot).size() + runFiles.size();
        assertTrue(restore.stdout().contains("restore of snapshot " + snapshot + " with incremental runs " + run + ": "
                + replayed + " files"), "the snapshot's files and the run's: " + restore.stdout());
        assertTrue(restore.stdout().contains(HOST + ": nodetool import of rst.items"), restore.stdout());
        Map<Integer, String> restored = rows("rst.items");
        assertEquals(written.size(), restored.size(), "every row of the snapshot and the incremental run");
        assertTrue(written.equals(restored), "every row as written: " + restore.stdout());

        truncate("rst.items");
        SnapshotterProcess.Result pointInTime = SnapshotterProcess.run(work,
                restoreArgs(base, "--point-in-time", snapshot), AWS_ENV);
        assertEquals(0, pointInTime.exitStatus(), pointInTime.all());
        assertTrue(pointInTime.stdout().contains("restore of snapshot " + snapshot + ": "), "no run replayed: " + pointInTime.stdout());
        Map<Integer, String> atSnapshot = new HashMap<>(written);
        atSnapshot.keySet().removeIf(id -> id >= n);
        Map<Integer, String> pitRows = rows("rst.items");
        assertEquals(atSnapshot.size(), pitRows.size(), "exactly the rows of the snapshot");
        assertTrue(atSnapshot.equals(pitRows), "as written");

        // Download, then sstableloader into a fresh node of its own cluster that has only the schema.
        try (CassandraNode fresh = CassandraNode.start(work.resolve("fresh"), "127.0.0.2", "127.0.0.2",
                FreePorts.find(), FreePorts.find());
             CqlSession freshCql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.2",
                     fresh.nativePort())).withLocalDatacenter("datacenter1").build()) {
            freshCql.execute("CREATE KEYSPACE rst WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            freshCql.execute("CREATE TABLE rst.items (id int PRIMARY KEY, v text)");
            List<String> args = new ArrayList<>(List.of("--s3-bucket-name", BUCKET, "--s3-base-path", base,
                    "--s3-endpoint", s3Server.endpoint(), "--aws-keys-from-env", "restore", "--keyspace", "rst",
                    "--table", "items", "--restore-dir", work.resolve("downloaded").toString(),
                    "--target-hosts", "127.0.0.2", "--cassandra-bin-dir", fresh.root().resolve("bin").toString(),
                    "--sstableloader-arg=-p", "--sstableloader-arg=" + fresh.nativePort(),
                    "--sstableloader-arg=-sp", "--sstableloader-arg=" + fresh.storagePort()));
            SnapshotterProcess.Result loaded = SnapshotterProcess.run(work, args, AWS_ENV);
            assertEquals(0, loaded.exitStatus(), loaded.all());
            assertTrue(loaded.stdout().contains("loaded with sstableloader: "), loaded.stdout());
            Map<Integer, String> freshRows = new HashMap<>();
            freshCql.execute("SELECT id, v FROM rst.items").forEach(row -> freshRows.put(row.getInt("id"), row.getString("v")));
            assertEquals(written.size(), freshRows.size(), "every row streamed into the fresh node");
            assertTrue(written.equals(freshRows), "every row as written");
        }
    }

    @Test
    void aCoordinatorKilledDuringAnIncrementalRunLosesNoRowAndTheNextRunFinishesIt() throws Exception {
        cql.execute("CREATE KEYSPACE crash WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        cql.execute("CREATE TABLE crash.items (id int PRIMARY KEY, v text)");
        PreparedStatement insert = cql.prepare("INSERT INTO crash.items (id, v) VALUES (?, ?)");
        java.util.Random random = new java.util.Random(16);
        for (int i = 0; i < 500; i++) {
            cql.execute(insert.bind(i, "first " + i));
        }
        String base = "crash";
        SnapshotterProcess.Result first = SnapshotterProcess.run(work, backupArgs(base, "--keyspaces", "crash"), AWS_ENV);
        assertEquals(0, first.exitStatus(), first.all());
        String snapshot = BackupIT.snapshotOf(objects, base);
        // About 3 MB that LZ4 cannot shrink much, uploaded at 64 KB/s: the run takes most of a minute.
        byte[] value = new byte[500];
        for (int i = 500; i < 3500; i++) {
            random.nextBytes(value);
            cql.execute(insert.bind(i, java.util.HexFormat.of().formatHex(value)));
        }
        node.nodetool("flush", "crash");
        node.nodetool("disableautocompaction", "crash");
        List<Path> links = node.backupLinks("crash", "items");
        assertFalse(links.isEmpty(), "the flush left backups/ links");

        Path out = work.resolve("crash.out");
        Process coordinator = SnapshotterProcess.start(work, backupArgs(base, "--keyspaces", "crash",
                "--rate-limit", "64"), AWS_ENV, out);
        String incremental = base + "/" + snapshot + "/" + HOST;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        while (objects.keys(incremental).stream().noneMatch(k -> k.contains("/backups/")) && coordinator.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(coordinator.isAlive(), "the run ended before it could be killed: " + Files.readString(out));
        coordinator.destroyForcibly(); // kill -9 in the middle of the upload
        coordinator.waitFor();
        assertEquals(List.of(), ssh.stillRunning(java.time.Duration.ofSeconds(10)), "the agent outlived its session");
        assertEquals(new HashSet<>(links), new HashSet<>(node.backupLinks("crash", "items")),
                "a link was removed after the coordinator died");

        // The killed run's lock lasts until its TTL; the operator who killed it may remove it.
        s3.deleteObject(b -> b.bucket(BUCKET).key(base + "/_status/lock.json"));
        SnapshotterProcess.Result again = SnapshotterProcess.run(work, backupArgs(base, "--keyspaces", "crash"), AWS_ENV);
        assertEquals(0, again.exitStatus(), again.all());
        System.out.println("after kill -9 of the coordinator, the next run:\n" + again.stdout());
        assertEquals(List.of(), node.backupLinks("crash", "items"), "the run after it stored them and removed their links");
        Map<Integer, String> written = rows("crash.items");
        assertEquals(3500, written.size());

        truncate("crash.items");
        SnapshotterProcess.Result restore = SnapshotterProcess.run(work,
                restoreArgsOf("crash", "items", base), AWS_ENV);
        assertEquals(0, restore.exitStatus(), restore.all());
        Map<Integer, String> restored = rows("crash.items");
        assertEquals(written.size(), restored.size(), "every row: " + restore.stdout());
        assertTrue(written.equals(restored), "every row as written");
        System.out.println("in-place restore after the crash: " + restored.size() + " of " + written.size()
                + " rows back\n" + restore.stdout());
    }

    static List<String> restoreArgs(String basePath, String... extra) {
        return restoreArgsOf("rst", "items", basePath, extra);
    }

    static List<String> restoreArgsOf(String keyspace, String table, String basePath, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--s3-bucket-name", BUCKET, "--s3-base-path", basePath, "--s3-endpoint", s3Server.endpoint(),
                "--aws-keys-from-env", "restore", "--keyspace", keyspace, "--table", table, "--in-place",
                "--user", "cassandra", "--sshport", String.valueOf(ssh.port()), "--sshkey", keys.clientKeyFile().toString(),
                "--ssh-known-hosts", knownHosts.toString(),
                "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString(),
                "--agent-command", SnapshotterProcess.agentCommand("256m")));
        args.addAll(List.of(extra));
        return args;
    }

    static Map<Integer, String> rows(String table) {
        Map<Integer, String> rows = new HashMap<>();
        cql.execute("SELECT id, v FROM " + table).forEach(row -> rows.put(row.getInt("id"), row.getString("v")));
        return rows;
    }

    static void truncate(String table) {
        cql.execute(SimpleStatement.newInstance("TRUNCATE " + table).setTimeout(java.time.Duration.ofMinutes(1)));
        assertTrue(rows(table).isEmpty(), "the table is empty before the restore");
    }

    static List<JsonNode> hostFiles(String base, String snapshot, String run) throws Exception {
        List<JsonNode> files = new ArrayList<>();
        new ObjectMapper().readTree(objects.text(base + "/" + snapshot + "/_runs/" + run + "/" + HOST + ".json"))
                .get("files").forEach(files::add);
        return files;
    }
}
