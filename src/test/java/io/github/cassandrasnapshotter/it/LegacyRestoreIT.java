package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups as cassandra_snapshotter 1.2.0 laid them out, restored byte for byte: {@code <host>/var/...}
 * keys, objects made by real lzop (level 3, its default, and levels 1 and 9), a manifest.json with
 * only the old keys and no per-file manifests. The 1.0.x form {@code <host>//var/...} cannot be
 * stored in a test server through the AWS SDK; {@code LegacyListingTest} gives the planner such keys.
 */
class LegacyRestoreIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("legacy");
    static final String BUCKET = S3.name();
    static final String BASE = "old/cluster";
    static final String SNAPSHOT = "20200101000000";
    static final String TABLE_DIR = "t-0123456789abcdef0123456789abcdef";

    static S3Client s3;
    static String expectedSha;

    @TempDir
    Path work;

    @BeforeAll
    static void writeTheOldToolsBackup() throws Exception {
        s3 = S3.client();
        try (InputStream sha = LegacyRestoreIT.class.getResourceAsStream("/lzop/sample.bin.sha256")) {
            expectedSha = new String(sha.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        String snapshotFolder = "/var/lib/cassandra/data/ks/" + TABLE_DIR + "/snapshots/" + SNAPSHOT + "/";
        put(BASE + "/" + SNAPSHOT + "/10.0.0.1" + snapshotFolder + "nb-1-big-Data.db.lzo", fixture(3));
        put(BASE + "/" + SNAPSHOT + "/10.0.0.2" + snapshotFolder + "nb-1-big-Data.db.lzo", fixture(1));
        put(BASE + "/" + SNAPSHOT + "/10.0.0.2" + snapshotFolder + "nb-2-big-Data.db.lzo", fixture(9));
        put(BASE + "/" + SNAPSHOT + "/ring", "Address ...".getBytes(StandardCharsets.UTF_8));
        put(BASE + "/" + SNAPSHOT + "/manifest.json", ("{\"name\": \"" + SNAPSHOT + "\", \"base_path\": \"" + BASE
                + "\", \"hosts\": [\"10.0.0.1\", \"10.0.0.2\"], \"keyspaces\": [\"ks\"], \"table\": \"\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    static byte[] fixture(int level) throws IOException {
        try (InputStream in = LegacyRestoreIT.class.getResourceAsStream("/lzop/sample.level" + level + ".lzo")) {
            return in.readAllBytes();
        }
    }

    static void put(String key, byte[] content) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
    }

    SnapshotterProcess.Result tool(String command, String... flags) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), BUCKET, BASE, command, flags),
                S3ProxyServer.AWS_ENV);
    }

    @Test
    void keysOf120AtEveryLzopLevelRestoreByteForByteAndSayThereIsNoChecksum() throws Exception {
        Path target = work.resolve("restored");
        SnapshotterProcess.Result restore = tool("restore", "--keyspace", "ks", "--restore-dir", target.toString());
        assertEquals(0, restore.exitStatus(), restore.all());
        assertTrue(restore.stdout().contains("records no checksums"), restore.stdout());
        for (String file : List.of("10.0.0.1/ks/" + TABLE_DIR + "/nb-1-big-Data.db", "10.0.0.2/ks/" + TABLE_DIR
                + "/nb-1-big-Data.db", "10.0.0.2/ks/" + TABLE_DIR + "/nb-2-big-Data.db")) {
            assertEquals(expectedSha, S3Objects.sha256(target.resolve(file)), file);
        }
    }

    @Test
    void latestOfOneHostAndDeepVerifyReadTheOldBackup() throws Exception {
        Path target = work.resolve("one-host");
        SnapshotterProcess.Result restore = tool("restore", "--keyspace", "ks", "--hosts", "10.0.0.2",
                "--restore-dir", target.toString());
        assertEquals(0, restore.exitStatus(), restore.all());
        assertTrue(restore.stdout().startsWith("restore of snapshot " + SNAPSHOT + ": 2 files of 1 host(s)"), restore.stdout());

        SnapshotterProcess.Result verify = tool("verify", "--deep");
        assertEquals(0, verify.exitStatus(), verify.all());
        assertTrue(verify.stdout().contains("3 files of 2 host(s)"), verify.stdout());

        SnapshotterProcess.Result list = tool("list");
        assertEquals(0, list.exitStatus(), list.all());
        assertTrue(list.stdout().contains(SNAPSHOT) && list.stdout().contains("[cassandra_snapshotter 1.x]"), list.stdout());
    }
}
