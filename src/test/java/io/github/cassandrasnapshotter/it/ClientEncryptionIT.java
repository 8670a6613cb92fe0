package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
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
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --encryption-key-file}: what the bucket holds (no plain byte of a data file, sealed records),
 * what restore and verify bring back, and what they refuse (no key, another key, a changed object, a
 * changed file list), all before anything is written.
 */
class ClientEncryptionIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("encrypted");
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    /** Written among random bytes into a data file: LZO keeps it as a literal, so only encryption hides it. */
    static final String MARKER = "customer-card-4111111111111111";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void keys() throws Exception {
        keys = SSH.keys();
    }

    SnapshotterProcess.Result tool(List<String> args) throws Exception {
        return SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
    }

    /** A backup of the cluster, with the key file when it is not null ({@code -v} in extra goes before the command). */
    SnapshotterProcess.Result backup(TestCluster cluster, String base, Path keyFile, String... extra) throws Exception {
        List<String> flags = new ArrayList<>(List.of(extra));
        boolean verbose = flags.remove("-v");
        List<String> args = BackupArgs.backup(S3.server(), S3.name(), base, cluster, keys, flags.toArray(String[]::new));
        if (verbose) {
            args.add(0, "-v");
        }
        if (keyFile != null) {
            args.addAll(0, List.of("--encryption-key-file", keyFile.toString()));
        }
        SnapshotterProcess.Result run = tool(args);
        assertEquals(0, run.exitStatus(), run.all());
        return run;
    }

    SnapshotterProcess.Result command(String base, Path keyFile, String command, String... flags) throws Exception {
        List<String> args = BackupArgs.command(S3.endpoint(), S3.name(), base, command, flags);
        if (keyFile != null) {
            args.addAll(0, List.of("--encryption-key-file", keyFile.toString()));
        }
        return tool(args);
    }

    Path keygen(String name) throws Exception {
        Path file = work.resolve(name);
        SnapshotterProcess.Result made = tool(List.of("keygen", file.toString()));
        assertEquals(0, made.exitStatus(), made.all());
        assertTrue(made.stdout().startsWith("wrote key "), made.stdout());
        return file;
    }

    static void addSecretFile(TestNode node) throws Exception {
        byte[] content = new byte[200_000];
        new Random(5).nextBytes(content);
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        for (int at = 1000; at + marker.length < content.length; at += 20_000) {
            System.arraycopy(marker, 0, content, at, marker.length);
        }
        Path table = Files.createDirectories(node.dataDir().resolve("ks1").resolve(USERS));
        Files.write(table.resolve("nb-7-big-Data.db"), content);
    }

    static boolean holdsMarker(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(MARKER);
    }

    ResponseBytes<GetObjectResponse> object(String key) {
        return S3.client().getObjectAsBytes(b -> b.bucket(S3.name()).key(key));
    }

    List<String> dataKeys(String base, String snapshot) {
        return S3.objects().keys(base + "/" + snapshot + "/" + HOST + "/");
    }

    /** The file list of the host in the snapshot's run {@code runId}. */
    JsonNode fileList(String base, String snapshot, String runId) throws Exception {
        return JSON.readTree(object(base + "/" + snapshot + "/_runs/" + runId + "/" + HOST + ".json").asByteArray());
    }

    static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> files = RestoreIT.contents(root);
        files.keySet().removeIf(k -> k.endsWith("/manifest.json")); // Cassandra's own snapshot manifests
        return files;
    }

    static boolean nothingUnder(Path root) throws Exception {
        if (!Files.exists(root)) {
            return true;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.noneMatch(Files::isRegularFile);
        }
    }

    @Test
    void anEncryptedBackupHoldsNoPlainByteAndRestoresByteForByteWithItsKeyOnly() throws Exception {
        Path keyFile = keygen("keys.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
        String keyText = Files.readString(keyFile);
        SnapshotterProcess.Result again = tool(List.of("keygen", keyFile.toString()));
        assertEquals(2, again.exitStatus(), again.all());
        assertEquals(keyText, Files.readString(keyFile), "a key file is never overwritten");
        long keyId = Long.parseLong(JSON.readTree(keyText).path("data").path("primaryKeyId").asText());

        SnapshotterProcess.Result missing = tool(java.util.stream.Stream.concat(Stream.of("--encryption-key-file", work.resolve("none.json").toString()),
                BackupArgs.command(S3.endpoint(), S3.name(), "secret", "verify").stream()).toList());
        assertEquals(2, missing.exitStatus(), missing.all());
        assertEquals("cassandra-snapshotter: --encryption-key-file: the key file " + work.resolve("none.json")
                + " does not exist ('cassandra-snapshotter keygen " + work.resolve("none.json") + "' makes one)",
                missing.stderr().strip());

        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            addSecretFile(node);

            // Without a key file the marker is in the bucket: the check below can fail.
            String plain = RestoreIT.snapshotName(backup(cluster, "plain", null));
            assertTrue(dataKeys("plain", plain).stream().anyMatch(k -> holdsMarker(object(k).asByteArray())),
                    "the plain backup stores the marker where a reader of the bucket sees it");

            String base = "secret";
            SnapshotterProcess.Result first = backup(cluster, base, keyFile, "-v");
            String snapshot = RestoreIT.snapshotName(first);
            node.addFlushedSstable("ks1", USERS, 5, 50);
            SnapshotterProcess.Result second = backup(cluster, base, keyFile);
            assertTrue(second.all().contains("incremental run"), second.all());

            for (String key : dataKeys(base, snapshot)) {
                ResponseBytes<GetObjectResponse> stored = object(key);
                assertTrue(key.endsWith(".lzo.enc"), key);
                assertFalse(holdsMarker(stored.asByteArray()), key + " holds the marker in the clear");
                assertEquals(String.valueOf(keyId), stored.response().metadata().get("snapshotter-key-id"), key);
            }
            assertTrue(dataKeys(base, snapshot).stream().anyMatch(k -> k.contains("/backups/nb-5-")), "the run's files too");
            List<String> records = new ArrayList<>(S3.objects().keys(base + "/" + snapshot + "/_runs/"));
            records.removeIf(k -> !k.endsWith(".json"));
            records.add(base + "/" + snapshot + "/manifest.json");
            assertTrue(records.size() >= 5, records.toString()); // two runs' summary and host list, the manifest
            for (String record : records) {
                assertTrue(object(record).response().metadata().containsKey("snapshotter-seal"), record + " is not sealed");
            }
            assertTrue(JSON.readTree(object(base + "/" + snapshot + "/manifest.json").asByteArray())
                    .path("client_side_encryption").asBoolean(), "manifest.json says the snapshot is encrypted");
            for (JsonNode file : fileList(base, snapshot, snapshot).path("files")) {
                assertEquals(keyId, file.path("keyId").asLong(), file.toString());
            }

            // No byte of either key in the commands run on the node, in what the runs printed (at -v too), or
            // in any object of the bucket.
            List<String> keyValues = new ArrayList<>();
            java.util.regex.Matcher value = java.util.regex.Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"").matcher(keyText);
            while (value.find()) {
                keyValues.add(value.group(1));
            }
            assertEquals(2, keyValues.size(), "a data key and a record key: " + keyValues);
            List<String> texts = new ArrayList<>(List.of(String.join("\n", cluster.allCommands()), first.all(), second.all()));
            for (String key : S3.objects().keys(base + "/")) {
                texts.add(new String(object(key).asByteArray(), StandardCharsets.ISO_8859_1) + object(key).response().metadata());
            }
            for (String text : texts) {
                for (String keyValue : keyValues) {
                    assertFalse(text.contains(keyValue.substring(0, 16)), "a key leaked: " + text);
                }
            }
            String keyValue = keyValues.get(0);

            // list reads the records without the key.
            SnapshotterProcess.Result list = command(base, null, "list");
            assertEquals(0, list.exitStatus(), list.all());
            assertTrue(list.stdout().contains(snapshot), list.stdout());

            Path target = work.resolve("restored");
            SnapshotterProcess.Result restore = command(base, keyFile, "restore", "--keyspace", "ks1", "--restore-dir", target.toString());
            assertEquals(0, restore.exitStatus(), restore.all());
            assertEquals(RestoreIT.liveFiles(node, "ks1"), contents(target), "every file of ks1, decrypted, byte for byte");
            SnapshotterProcess.Result deep = command(base, keyFile, "verify", "--deep");
            assertEquals(0, deep.exitStatus(), deep.all());

            Path noKey = work.resolve("no-key");
            SnapshotterProcess.Result without = command(base, null, "restore", "--keyspace", "ks1", "--restore-dir", noKey.toString());
            assertEquals(2, without.exitStatus(), without.all());
            assertEquals("cassandra-snapshotter: snapshot " + snapshot + " is encrypted on the nodes (key " + keyId
                    + "): give --encryption-key-file with the key file it was made with", without.stderr().strip());
            assertTrue(nothingUnder(noKey), "nothing written without the key");

            Path otherKeys = keygen("other.json");
            Path wrong = work.resolve("wrong-key");
            SnapshotterProcess.Result other = command(base, otherKeys, "restore", "--keyspace", "ks1",
                    "--snapshot-name", snapshot, "--restore-dir", wrong.toString());
            assertEquals(2, other.exitStatus(), other.all());
            assertEquals(1, other.stderr().strip().lines().count(), other.stderr());
            assertTrue(other.stderr().contains("cannot be read with the key file given: s3://" + S3.name() + "/" + base + "/"
                    + snapshot + "/manifest.json cannot be used: it is sealed by a key the key file does not hold"), other.stderr());
            assertTrue(nothingUnder(wrong), "nothing written with another key");

            // In place: the node's agent gets the keys on stdin with its job and decrypts there.
            Map<String, String> before = RestoreIT.liveFiles(node, "ks1");
            try (Stream<Path> lost = Files.list(node.dataDir().resolve("ks1").resolve(USERS))) {
                for (Path file : lost.filter(Files::isRegularFile).toList()) {
                    Files.delete(file);
                }
            }
            List<String> flags = new ArrayList<>(List.of("--keyspace", "ks1", "--table", "users", "--in-place"));
            flags.addAll(BackupArgs.nodeAccess(cluster, keys));
            SnapshotterProcess.Result inPlace = command(base, keyFile, "restore", flags.toArray(String[]::new));
            assertEquals(0, inPlace.exitStatus(), inPlace.all());
            Map<String, String> after = RestoreIT.liveFiles(node, "ks1");
            before.keySet().removeIf(k -> k.contains("/.users_email_idx/") || k.endsWith("/manifest.json"));
            after.keySet().removeIf(k -> k.contains("/.users_email_idx/") || k.endsWith("/manifest.json"));
            assertEquals(before, after, "the table's files are back on the node, byte for byte");
            assertFalse(String.join("\n", cluster.allCommands()).contains(keyValue.substring(0, 16)));

            // The manifest lists this host in the snapshot's run: with its file list gone, the restore is
            // refused rather than made without the host's files (with the key file, and without it too).
            String listKey = base + "/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json";
            S3.client().deleteObject(b -> b.bucket(S3.name()).key(listKey));
            Path lacking = work.resolve("lacking");
            SnapshotterProcess.Result gone = command(base, keyFile, "restore", "--keyspace", "ks1",
                    "--snapshot-name", snapshot, "--restore-dir", lacking.toString());
            assertEquals(1, gone.exitStatus(), gone.all());
            assertTrue(gone.stderr().contains("says host " + HOST + " stored its files in run " + snapshot
                    + ", but its file list s3://" + S3.name() + "/" + listKey + " is missing"), gone.stderr());
            assertTrue(nothingUnder(lacking), "nothing restored of a snapshot that lacks a host's files");
            // Every run's lists gone: the snapshot is not read as an old-tool one from its keys.
            for (String key : S3.objects().keys(base + "/" + snapshot + "/_runs/")) {
                S3.client().deleteObject(b -> b.bucket(S3.name()).key(key));
            }
            SnapshotterProcess.Result noRuns = command(base, null, "restore", "--keyspace", "ks1",
                    "--snapshot-name", snapshot, "--restore-dir", lacking.toString());
            assertEquals(1, noRuns.exitStatus(), noRuns.all());
            assertTrue(noRuns.stderr().contains("manifest.json was written by this tool, but"), noRuns.stderr());
            assertTrue(nothingUnder(lacking));
        }
    }

    @Test
    void aChangedObjectOrFileListIsRefusedAndNamed() throws Exception {
        Path keyFile = keygen("keys.json");
        String base = "tampered";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            cluster.node(HOST).addSampleTables();
            String snapshot = RestoreIT.snapshotName(backup(cluster, base, keyFile));
            long keyId = Long.parseLong(JSON.readTree(Files.readString(keyFile)).path("data").path("primaryKeyId").asText());

            // One byte flipped in a data object, its size kept.
            String changed = dataKeys(base, snapshot).stream()
                    .filter(k -> k.contains("/ks1/" + USERS + "/") && k.endsWith("/" + snapshot + "/nb-1-big-Data.db.lzo.enc"))
                    .findFirst().orElseThrow();
            ResponseBytes<GetObjectResponse> stored = object(changed);
            byte[] bytes = stored.asByteArray();
            bytes[bytes.length / 2] ^= 0x01;
            S3.client().putObject(b -> b.bucket(S3.name()).key(changed).metadata(stored.response().metadata()),
                    RequestBody.fromBytes(bytes));
            SnapshotterProcess.Result deep = command(base, keyFile, "verify", "--deep");
            assertEquals(1, deep.exitStatus(), deep.all());
            String named = "s3://" + S3.name() + "/" + changed + " fails authentication under key " + keyId;
            assertTrue(deep.stdout().contains(named), deep.stdout());
            Path target = work.resolve("restored");
            SnapshotterProcess.Result restore = command(base, keyFile, "restore", "--keyspace", "ks1", "--restore-dir", target.toString());
            assertEquals(1, restore.exitStatus(), restore.all());
            assertTrue(restore.stdout().contains(named), restore.stdout());
            try (Stream<Path> walk = Files.walk(target)) {
                assertTrue(walk.noneMatch(p -> p.toString().contains(USERS + "/nb-1-big-Data.db")),
                        "no part of the changed object is left, not even a .partial file");
            }

            // A file list whose SHA-256 of a file is changed, its seal kept: restore does not trust it.
            String listKey = base + "/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json";
            ResponseBytes<GetObjectResponse> list = object(listKey);
            String text = list.asUtf8String();
            String sha = JSON.readTree(text).path("files").get(0).path("sha256").asText();
            String forged = text.replace(sha, "0".repeat(64));
            S3.client().putObject(b -> b.bucket(S3.name()).key(listKey).metadata(list.response().metadata()),
                    RequestBody.fromString(forged));
            Path second = work.resolve("second");
            SnapshotterProcess.Result refused = command(base, keyFile, "restore", "--keyspace", "ks1",
                    "--snapshot-name", snapshot, "--restore-dir", second.toString());
            assertEquals(1, refused.exitStatus(), refused.all());
            assertTrue(refused.stderr().contains("s3://" + S3.name() + "/" + listKey
                    + " cannot be used: its seal does not match its content"), refused.all());
            assertTrue(nothingUnder(second), "nothing written from a changed file list");
        }
    }

    @Test
    void aDifferentialBackupCopiesOnlyObjectsUnderKeysItHolds() throws Exception {
        Path keyFile = keygen("keys.json");
        String base = "rotation";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            node.addSampleTables();
            String first = RestoreIT.snapshotName(backup(cluster, base, keyFile));
            long oldKey = fileList(base, first, first).path("files").get(0).path("keyId").asLong();

            Path before = Files.copy(keyFile, work.resolve("keys-before-rotation.json"));
            SnapshotterProcess.Result rotate = tool(List.of("keygen", "--rotate", keyFile.toString()));
            assertEquals(0, rotate.exitStatus(), rotate.all());
            assertTrue(rotate.stdout().contains("replace every copy of it now"), rotate.stdout());
            Thread.sleep(1100); // snapshot names are seconds
            String second = RestoreIT.snapshotName(backup(cluster, base, keyFile, "--new-snapshot"));
            // A copy of the file from before the rotation still reads what was made before it, not what came after.
            SnapshotterProcess.Result oldCopy = command(base, before, "restore", "--keyspace", "ks1",
                    "--snapshot-name", first, "--restore-dir", work.resolve("old-copy").toString());
            assertEquals(0, oldCopy.exitStatus(), oldCopy.all());
            SnapshotterProcess.Result tooOld = command(base, before, "restore", "--keyspace", "ks1",
                    "--snapshot-name", second, "--restore-dir", work.resolve("too-old").toString());
            assertEquals(2, tooOld.exitStatus(), tooOld.all());
            assertTrue(tooOld.stderr().contains("it is sealed by a key the key file does not hold"), tooOld.stderr());
            assertTrue(nothingUnder(work.resolve("too-old")));
            JsonNode copied = fileList(base, second, second).path("files");
            assertTrue(copied.size() > 0);
            for (JsonNode file : copied) {
                assertEquals("REFERENCED", file.path("action").asText(), "unchanged, under a key the file holds: " + file);
                assertTrue(file.path("key").asText().startsWith(base + "/" + first + "/"), "named where it is: " + file);
                assertEquals(oldKey, file.path("keyId").asLong(), file.toString());
            }

            Thread.sleep(1100);
            // Without --new-snapshot: the newest snapshot is encrypted, so a plain run takes a snapshot of its own.
            SnapshotterProcess.Result plainRun = backup(cluster, base, null);
            assertTrue(plainRun.all().contains("new snapshot"), plainRun.all());
            String plain = RestoreIT.snapshotName(plainRun);
            // LATEST with the key file stops at the newest snapshot, which it cannot verify, instead of passing
            // over it for an older one.
            Path latest = work.resolve("latest");
            SnapshotterProcess.Result stops = command(base, keyFile, "restore", "--keyspace", "ks1", "--restore-dir",
                    latest.toString());
            assertEquals(2, stops.exitStatus(), stops.all());
            assertTrue(stops.stderr().contains("snapshot " + plain + " cannot be read with the key file given: s3://"
                    + S3.name() + "/" + base + "/" + plain + "/manifest.json cannot be used: it has no seal"), stops.stderr());
            assertTrue(stops.stderr().contains("LATEST stops at it"), stops.stderr());
            assertTrue(nothingUnder(latest));
            for (JsonNode file : fileList(base, plain, plain).path("files")) {
                assertEquals("UPLOADED", file.path("action").asText(), "an encrypted object is not copied into a plain backup");
                assertTrue(file.path("keyId").isMissingNode(), file.toString());
            }
            Thread.sleep(1100);
            String encryptedAgain = RestoreIT.snapshotName(backup(cluster, base, keyFile, "--new-snapshot"));
            JsonNode files = fileList(base, encryptedAgain, encryptedAgain).path("files");
            for (JsonNode file : files) {
                assertFalse(file.path("copiedFrom").asText().contains("/" + plain + "/"),
                        "a plain object is not copied into an encrypted backup: " + file);
                assertFalse(file.path("key").asText().contains("/" + plain + "/"),
                        "nor named by its file list: " + file);
                assertTrue(file.path("keyId").isNumber(), file.toString());
            }

            Path target = work.resolve("restored");
            SnapshotterProcess.Result restore = command(base, keyFile, "restore", "--keyspace", "ks1",
                    "--snapshot-name", second, "--restore-dir", target.toString());
            assertEquals(0, restore.exitStatus(), restore.all());
            assertEquals(RestoreIT.liveFiles(node, "ks1"), contents(target), "objects under the older key restore with the rotated file");
            SnapshotterProcess.Result plainRestore = command(base, null, "restore", "--keyspace", "ks1",
                    "--snapshot-name", plain, "--restore-dir", work.resolve("plain").toString());
            assertEquals(0, plainRestore.exitStatus(), plainRestore.all());
        }
    }
}
