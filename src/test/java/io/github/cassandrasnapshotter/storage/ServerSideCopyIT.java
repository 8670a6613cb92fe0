package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.ByteArrayInputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copies inside the store against S3Proxy: one CopyObject, and the multipart copy of ranges in parallel used past 5 GiB. */
class ServerSideCopyIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("copies");
    static final String BUCKET = S3.name();
    static final int MB = 1024 * 1024;
    static final ExecutorService PART_WORKERS = Executors.newFixedThreadPool(2);

    @AfterAll
    static void stopWorkers() {
        PART_WORKERS.shutdownNow();
    }

    static byte[] object(String key, int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        S3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        return content;
    }

    static String sha256(String key) throws Exception {
        return S3Objects.sha256(S3.client().getObject(b -> b.bucket(BUCKET).key(key)));
    }

    @Test
    void aSmallObjectIsCopiedInOneRequest() throws Exception {
        // The copy's encryption: ServerSideEncryptionIT (S3Proxy answers AES256 for every object).
        byte[] content = object("a/source", 3 * MB);
        new ServerSideCopy(S3.client(), PART_WORKERS).copy("a/source", content.length,
                new ObjectTarget(BUCKET, "b/target", ObjectEncryption.AES256, null));
        assertEquals(S3Objects.sha256(new ByteArrayInputStream(content)), sha256("b/target"));
    }

    @Test
    void anObjectOverTheSingleCopyLimitIsCopiedInRangesAtOnce() throws Exception {
        int size = 12 * MB + 12345;
        byte[] content = object("big/source", size);
        // Limits of 5 MiB instead of S3's 5 GiB: three ranged parts on two workers, the last one short.
        new ServerSideCopy(S3.client(), PART_WORKERS, 5 * MB, 5 * MB).copy("big/source", size, new ObjectTarget(BUCKET, "big/target", ObjectEncryption.NONE, null));
        assertEquals(S3Objects.sha256(new ByteArrayInputStream(content)), sha256("big/target"));
        HeadObjectResponse head = S3.client().headObject(b -> b.bucket(BUCKET).key("big/target"));
        assertEquals(size, head.contentLength());
        assertTrue(head.eTag().endsWith("-3\""), "a 3-part object: " + head.eTag());
    }

    @Test
    void aMissingSourceFailsAndLeavesNoTarget() {
        assertThrows(NoSuchKeyException.class, () -> new ServerSideCopy(S3.client(), PART_WORKERS, 5 * MB, 5 * MB)
                .copy("gone/source", 12 * MB, new ObjectTarget(BUCKET, "gone/target", ObjectEncryption.NONE, null)));
        assertThrows(NoSuchKeyException.class, () -> S3.client().headObject(b -> b.bucket(BUCKET).key("gone/target")));
        assertEquals(0, S3.client().listMultipartUploads(b -> b.bucket(BUCKET).prefix("gone/")).uploads().size(),
                "the multipart copy was aborted once its parts had failed");
    }
}
