package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.storage.ObjectEncryption;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.ServerSideCopy;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.RecordingProxy;
import io.github.cassandrasnapshotter.testsupport.S3MockServer;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.S3Server;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.StoreCopies;
import io.github.cassandrasnapshotter.testsupport.TempFolders;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side encryption of every object a backup writes (AES256 with --s3-ssenc, aws:kms with
 * --s3-sse-kms-key-id, none without either), against S3Mock: unlike S3Proxy's transient
 * store (which answers AES256 for every object) it answers a HEAD with the encryption the object was
 * written with, and none for an object written without. Each test runs a snapshot (one file large
 * enough for a multipart upload, the schema), an incremental run and a new snapshot that copies
 * unchanged files in the store, HEADs the lock while the first run holds and renews it, then HEADs
 * every object under the base path.
 *
 * <p>S3Mock 5.2.0 gives a multipart upload's object the encryption named on its CompleteMultipartUpload
 * (which S3's API has no field for), not the one its CreateMultipartUpload asked for as S3 does: such
 * an object always HEADs without. For those the test reads the CreateMultipartUpload as the tool sent
 * it, through a {@link RecordingProxy} the tool's endpoint points at (a copy of such an object HEADs
 * with what its CopyObject asked for).
 */
class ServerSideEncryptionIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    static final String BUCKET = "encrypted";
    static final String HOST = "127.0.0.1";
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    static final String BIG = "big-11111111111111111111111111111111";
    /**
     * The one KMS key S3Mock knows. It is started with the key's ARN but accepts only the id after
     * {@code key/} in a request (it answers KMS.NotFoundException to the whole ARN), and HEADs echo it.
     */
    static final String KMS_KEY_ID = "valid-test-key-id";
    static final String KMS_KEY_ARN = "arn:aws:kms:us-east-1:1234567890:key/" + KMS_KEY_ID;

    static Path serverDir;
    static S3MockServer server;
    static RecordingProxy proxy;
    /** The store as the tool sees it: through the proxy. */
    static S3Server store;
    static S3Client s3;
    static S3Objects objects;
    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        serverDir = Files.createTempDirectory("s3mock-");
        server = S3MockServer.start(serverDir, KMS_KEY_ARN);
        s3 = server.client();
        proxy = new RecordingProxy(server.port());
        store = new S3Server() {
            @Override
            public String endpoint() {
                return proxy.endpoint();
            }

            @Override
            public S3Client client() {
                return server.client();
            }
        };
        s3.createBucket(b -> b.bucket(BUCKET));
        objects = new S3Objects(s3, BUCKET);
        keys = SSH.keys();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
        if (serverDir != null) {
            TempFolders.deleteQuietly(serverDir);
        }
    }

    /** What a HEAD says of an object's encryption. */
    record Encryption(ServerSideEncryption kind, String kmsKeyId) {
        static final Encryption NONE = new Encryption(null, null);

        static Encryption of(HeadObjectResponse head) {
            return new Encryption(head.serverSideEncryption(), head.ssekmsKeyId());
        }

        /** What a recorded request asked for. */
        static Encryption asked(String requestHead) {
            return new Encryption(RecordingProxy.header(requestHead, "x-amz-server-side-encryption")
                    .map(ServerSideEncryption::fromValue).orElse(null),
                    RecordingProxy.header(requestHead, "x-amz-server-side-encryption-aws-kms-key-id").orElse(null));
        }
    }

    @Test
    void withSsencEveryObjectOfEveryKindOfRunIsAes256() throws Exception {
        assertEveryObject("aes", new Encryption(ServerSideEncryption.AES256, null), "--s3-ssenc");
    }

    /** The store reports what it was told: the test above could fail. */
    @Test
    void withoutSsencNoObjectIsEncrypted() throws Exception {
        assertEveryObject("plain", Encryption.NONE);
    }

    @Test
    void withAKmsKeyEveryObjectOfEveryKindOfRunIsAwsKmsWithThatKey() throws Exception {
        assertEveryObject("kms", new Encryption(ServerSideEncryption.AWS_KMS, KMS_KEY_ID),
                "--s3-sse-kms-key-id", KMS_KEY_ID);
    }

    /**
     * {@code --storage-class} on every object, the lock among them: a HEAD tells it (S3Mock keeps what a
     * PUT was told), a multipart object's CreateMultipartUpload and a copy's CopyObject as sent.
     */
    @Test
    void withAStorageClassEveryObjectOfEveryKindOfRunIsStoredInIt() throws Exception {
        String base = "infrequent";
        List<HeadObjectResponse> lock = new ArrayList<>();
        backupsOfEveryKind(base, h -> lock.add(h), new String[0], "--storage-class", "STANDARD_IA");
        Map<String, String> wrong = new LinkedHashMap<>();
        for (HeadObjectResponse head : lock) {
            if (!"STANDARD_IA".equals(head.storageClassAsString())) {
                wrong.put(base + "/_status/lock.json (ETag " + head.eTag() + ")", head.storageClassAsString());
            }
        }
        List<String> written = objects.keys(base + "/");
        for (String key : written) {
            // S3Mock gives a multipart object no class, and a copy that asks for none its source's.
            Optional<String> asked = proxy.requestHead("POST /" + BUCKET + "/" + key + "?uploads", null)
                    .or(() -> proxy.requestHead("PUT /" + BUCKET + "/" + key, "x-amz-copy-source"));
            String stored = asked.isPresent()
                    ? RecordingProxy.header(asked.get(), "x-amz-storage-class").orElse(null)
                    : s3.headObject(b -> b.bucket(BUCKET).key(key)).storageClassAsString();
            if (!"STANDARD_IA".equals(stored)) {
                wrong.put(key, stored);
            }
        }
        assertEquals(Map.of(), wrong, "objects of " + written.size() + " (and the lock) not in STANDARD_IA");
    }

    /**
     * A new snapshot names an earlier object only when the store holds it encrypted at least as the run
     * writes: an object stored without SSE is copied (with SSE) into a run with {@code --s3-ssenc}, and an
     * object stored with it is named. S3Mock answers a HEAD with the SSE an object was stored with.
     */
    @Test
    void aRunWithSsencCopiesWhatWasStoredWithoutItAndNamesWhatWasStoredWithIt() throws Exception {
        String base = "references";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            cluster.node(HOST).addSampleTables();
            SnapshotterProcess.Result plain = SnapshotterProcess.run(work, args(base, cluster, new String[0]),
                    S3ProxyServer.AWS_ENV);
            assertEquals(0, plain.exitStatus(), plain.all());
            String first = objects.snapshots(base).last();
            Thread.sleep(1100);
            SnapshotterProcess.Result encrypted = SnapshotterProcess.run(work, args(base, cluster,
                    new String[] {"--s3-ssenc"}, "--new-snapshot"), S3ProxyServer.AWS_ENV);
            assertEquals(0, encrypted.exitStatus(), encrypted.all());
            String second = objects.snapshots(base).last();
            Map<String, String> actions = actions(base, second);
            assertTrue(!actions.isEmpty() && actions.values().stream().allMatch("COPIED"::equals),
                    "stored without SSE, so copied with it: " + actions);
            for (String key : actions.keySet()) {
                assertTrue(key.startsWith(base + "/" + second + "/"), key);
                assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(BUCKET).key(key)).serverSideEncryption(), key);
            }
            Thread.sleep(1100);
            SnapshotterProcess.Result again = SnapshotterProcess.run(work, args(base, cluster,
                    new String[] {"--s3-ssenc"}, "--new-snapshot"), S3ProxyServer.AWS_ENV);
            assertEquals(0, again.exitStatus(), again.all());
            Map<String, String> named = actions(base, objects.snapshots(base).last());
            assertTrue(named.values().stream().allMatch("REFERENCED"::equals), named.toString());
            assertTrue(named.keySet().stream().allMatch(k -> k.startsWith(base + "/" + second + "/")),
                    "the objects stored with SSE are named, not the first snapshot's: " + named);
            assertTrue(objects.keys(base + "/" + first + "/").size() > 0);
        }
    }

    /** Each file list entry's key and action, of a snapshot's own run on {@link #HOST}. */
    private static Map<String, String> actions(String base, String snapshot) throws Exception {
        Map<String, String> actions = new LinkedHashMap<>();
        com.fasterxml.jackson.databind.JsonNode list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                objects.text(base + "/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json"));
        list.get("files").forEach(f -> actions.put(f.get("key").asText(), f.get("action").asText()));
        return actions;
    }

    /** The key a store refuses stops the run at its first write, the lock: nothing is snapshotted or stored. */
    @Test
    void aKmsKeyTheStoreDoesNotKnowFailsTheRunBeforeAnythingIsWritten() throws Exception {
        String base = "unknown-key";
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            SnapshotterProcess.Result run = SnapshotterProcess.run(work,
                    args(base, cluster, new String[] {"--s3-sse-kms-key-id", "alias/no-such-key"}), S3ProxyServer.AWS_ENV);
            assertEquals(1, run.exitStatus(), run.all());
            assertTrue(run.all().contains("backup failed before it started: Invalid keyId 'alias/no-such-key'"), run.all());
            assertEquals(List.of(), objects.keys(base + "/"), "no manifest.json, no object at all");
            assertTrue(cluster.node(HOST).nodetoolCalls().isEmpty(), "no host touched: " + cluster.node(HOST).nodetoolCalls());
        }
    }

    /**
     * A copy states the key again: one CopyObject, and past S3's single-copy limit a multipart copy.
     * The source has no encryption: S3Mock gives a copy that states none the source's (S3 gives it the
     * bucket's default), so only such a source shows a copy that forgot it. (In the backups above, the
     * copy of the multipart object is the one: S3Mock stores that source without.)
     */
    @Test
    void aCopyInRangesStatesTheKmsKeyAgain() throws Exception {
        int size = 9 * 1024 * 1024;
        byte[] content = new byte[size];
        new java.util.Random(size).nextBytes(content);
        s3.putObject(b -> b.bucket(BUCKET).key("copies/source"), RequestBody.fromBytes(content));
        ObjectEncryption kms = new ObjectEncryption(ServerSideEncryption.AWS_KMS, KMS_KEY_ID);
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try (S3Client viaProxy = S3MockServer.clientAt(proxy.endpoint())) {
            ServerSideCopy ranged = new ServerSideCopy(viaProxy, workers, 5 * 1024 * 1024, 5 * 1024 * 1024);
            ranged.copy("copies/source", size, new ObjectTarget(BUCKET, "copies/ranged", kms, null));
            new ServerSideCopy(viaProxy, workers).copy("copies/source", size, new ObjectTarget(BUCKET, "copies/single", kms, null));
        } finally {
            workers.shutdownNow();
        }
        Encryption expected = new Encryption(ServerSideEncryption.AWS_KMS, KMS_KEY_ID);
        String sha256 = S3Objects.sha256(new java.io.ByteArrayInputStream(content));
        assertAll(
                () -> assertEquals(expected, proxy.requestHead("POST /" + BUCKET + "/copies/ranged?uploads", null)
                        .map(Encryption::asked).orElseThrow(), "the ranged copy's CreateMultipartUpload"),
                () -> assertEquals(expected, Encryption.of(s3.headObject(b -> b.bucket(BUCKET).key("copies/single"))),
                        "the single copy"),
                () -> assertEquals(sha256, S3Objects.sha256(s3.getObject(b -> b.bucket(BUCKET).key("copies/ranged")))));
    }

    private void assertEveryObject(String base, Encryption expected, String... globalFlags) throws Exception {
        Map<String, Encryption> lock = new LinkedHashMap<>();
        backupsOfEveryKind(base, h -> lock.put(h.eTag(), Encryption.of(h)), globalFlags);

        List<String> written = objects.keys(base + "/");
        for (String kind : List.of("/manifest.json", "/ring", "/schema_ks1.cql", "/summary.json", "/" + HOST + ".json",
                "/_status/last-run.json", "/_status/last-complete.json", "/_status/catalog.json",
                "/snapshots/", "/backups/", "/" + BIG + "/")) {
            assertTrue(written.stream().anyMatch(k -> k.contains(kind)), "an object like " + kind + " in " + written);
        }
        Map<String, Encryption> wrong = new LinkedHashMap<>();
        lock.forEach((etag, encryption) -> {
            if (!encryption.equals(expected)) {
                wrong.put(base + "/_status/lock.json (ETag " + etag + ")", encryption);
            }
        });
        List<String> multipart = new ArrayList<>();
        for (String key : written) {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key(key));
            Encryption encryption = Encryption.of(head);
            Optional<String> initiate = proxy.requestHead("POST /" + BUCKET + "/" + key + "?uploads", null);
            if (initiate.isPresent()) {
                multipart.add(key);
                encryption = Encryption.asked(initiate.get());
            }
            if (!encryption.equals(expected)) {
                wrong.put(key, encryption);
            }
        }
        assertEquals(Map.of(), wrong, "objects of " + written.size() + " (and the lock) without " + expected);
        assertTrue(multipart.stream().anyMatch(k -> k.contains("/" + BIG + "/")), "a multipart upload: " + multipart);
    }

    /**
     * A snapshot, an incremental run and a new snapshot that copies in the store, each with exit status 0.
     * @param lockHeads gets the HEADs of the lock as the first run took and renewed it, one per ETag
     */
    private void backupsOfEveryKind(String base, java.util.function.Consumer<HeadObjectResponse> lockHeads,
                                    String[] globalFlags, String... backupFlags) throws Exception {
        List<String> flags = List.of(backupFlags);
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            TestNode node = cluster.node(HOST);
            // Random bytes: over two 5 MB parts even after compression, so a multipart upload.
            node.addFile("ks1", BIG, "nb-1-big-Data.db", 11L * 1024 * 1024, 5, true);

            // A rate limit makes the run last some seconds, a fast renewal rewrites the lock meanwhile.
            Path out = work.resolve("first.out");
            Process first = SnapshotterProcess.start(work, args(base, cluster, globalFlags, flags,
                    "--rate-limit", "2000", "--lock-ttl", "6", "--lock-renewal", "1"), S3ProxyServer.AWS_ENV, out);
            java.util.Set<String> lockEtags = new java.util.HashSet<>();
            try {
                String lockKey = base + "/_status/lock.json";
                while (first.isAlive() && lockEtags.size() < 3) {
                    head(lockKey).filter(h -> lockEtags.add(h.eTag())).ifPresent(lockHeads);
                    Thread.sleep(100);
                }
                assertTrue(lockEtags.size() >= 2, "the lock as taken and as renewed: " + lockEtags);
                assertTrue(first.waitFor(120, TimeUnit.SECONDS), "the first run ends");
                assertEquals(0, first.exitValue(), Files.readString(out));
            } finally {
                first.destroyForcibly();
            }

            node.addFlushedSstable("ks1", USERS, 5, 50);
            SnapshotterProcess.Result incremental = SnapshotterProcess.run(work, args(base, cluster, globalFlags, flags),
                    S3ProxyServer.AWS_ENV);
            assertEquals(0, incremental.exitStatus(), incremental.all());
            assertTrue(incremental.stdout().contains("incremental run"), incremental.stdout());

            SnapshotterProcess.Result copying = SnapshotterProcess.run(work, args(base, cluster, globalFlags, flags,
                    "--new-snapshot", "--self-contained"), S3ProxyServer.AWS_ENV);
            assertEquals(0, copying.exitStatus(), copying.all());
            StoreCopies copies = StoreCopies.in(copying.stdout());
            assertTrue(copies.files() > 0 && copies.bytes() > 0, copying.stdout());
            assertEquals(2, objects.snapshots(base).size());
        }
    }

    private List<String> args(String base, TestCluster cluster, String[] globalFlags, String... extra) {
        return args(base, cluster, globalFlags, List.of(), extra);
    }

    private List<String> args(String base, TestCluster cluster, String[] globalFlags, List<String> backupFlags,
                              String... extra) {
        List<String> args = new ArrayList<>(List.of(globalFlags));
        args.addAll(BackupArgs.backup(store, BUCKET, base, cluster, keys, "--keyspaces", "ks1,ks2",
                "--backup-schema", "--cassandra-bin-dir", "bin", "--buffer-size", "5"));
        args.addAll(backupFlags);
        args.addAll(List.of(extra));
        return args;
    }

    private static Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(BUCKET).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }
}
