package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.ServerSideCopy;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copies inside the store against S3Proxy: one CopyObject, and the multipart copy used past 5 GiB. */
class ServerSideCopyIT {
    static final String BUCKET = "copies";
    static final int MB = 1024 * 1024;

    @TempDir
    static Path work;
    static S3ProxyServer s3Server;
    static S3Client s3;

    @BeforeAll
    static void startServer() throws Exception {
        s3Server = S3ProxyServer.start(work);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (s3Server != null) {
            s3Server.close();
        }
    }

    static byte[] object(String key, int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        return content;
    }

    static String sha256(String key) throws Exception {
        return S3Objects.sha256(s3.getObject(b -> b.bucket(BUCKET).key(key)));
    }

    @Test
    void aSmallObjectIsCopiedWithTheRunsEncryption() throws Exception {
        byte[] content = object("a/source", 3 * MB);
        new ServerSideCopy(s3).copy("a/source", content.length, new ObjectTarget(BUCKET, "b/target", true, null));
        assertEquals(S3Objects.sha256(new ByteArrayInputStream(content)), sha256("b/target"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("b/target"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
    }

    @Test
    void anObjectOverTheSingleCopyLimitIsCopiedInRanges() throws Exception {
        int size = 12 * MB + 12345;
        byte[] content = object("big/source", size);
        // Limits of 5 MiB instead of S3's 5 GiB: three ranged parts, the last one short.
        new ServerSideCopy(s3, 5 * MB, 5 * MB).copy("big/source", size, new ObjectTarget(BUCKET, "big/target", false, null));
        assertEquals(S3Objects.sha256(new ByteArrayInputStream(content)), sha256("big/target"));
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("big/target"));
        assertEquals(size, head.contentLength());
        assertTrue(head.eTag().endsWith("-3\""), "a 3-part object: " + head.eTag());
    }

    @Test
    void aMissingSourceFailsAndLeavesNoTarget() {
        assertThrows(NoSuchKeyException.class, () -> new ServerSideCopy(s3, 5 * MB, 5 * MB)
                .copy("gone/source", 12 * MB, new ObjectTarget(BUCKET, "gone/target", false, null)));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(BUCKET).key("gone/target")));
    }
}
