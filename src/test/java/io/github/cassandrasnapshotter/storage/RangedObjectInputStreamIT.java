package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading an object through ranged GETs against S3Proxy: the same bytes in order, and a changed object refused. */
class RangedObjectInputStreamIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("ranges");
    static final int RANGE = 64 * 1024;
    static final ExecutorService FETCHERS = Executors.newCachedThreadPool();

    @AfterAll
    static void stopFetchers() {
        FETCHERS.shutdownNow();
    }

    static byte[] object(String key, int size) {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromBytes(content));
        return content;
    }

    static byte[][] buffers(int count) {
        byte[][] buffers = new byte[count][];
        for (int i = 0; i < count; i++) {
            buffers[i] = new byte[RANGE];
        }
        return buffers;
    }

    static InputStream ranged(String key, long length, byte[][] buffers) {
        return new RangedObjectInputStream(S3.client(), S3.name(), key, length, buffers, FETCHERS);
    }

    @Test
    void manyRangesComeBackInOrderWhateverTheReadSizes() throws Exception {
        int size = 20 * RANGE + 4321;
        byte[] content = object("many", size);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        try (InputStream in = ranged("many", size, buffers(4))) {
            for (int i = 0; i < 1000; i++) {
                read.write(in.read());
            }
            byte[] odd = new byte[RANGE / 3 + 7];
            int n;
            while ((n = in.read(odd, 0, odd.length)) > 0) {
                read.write(odd, 0, n);
            }
            assertEquals(-1, in.read());
        }
        assertArrayEquals(content, read.toByteArray());
    }

    @Test
    void anObjectShorterThanItsRangesIsReadWhole() throws Exception {
        byte[] content = object("short", RANGE / 2);
        try (InputStream in = ranged("short", content.length, buffers(4))) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void anObjectOfAnotherLengthThanTheManifestsIsRefused() {
        object("replaced", 10 * RANGE);
        IOException failure = assertThrows(IOException.class, () -> {
            try (InputStream in = ranged("replaced", 12L * RANGE, buffers(2))) {
                in.readAllBytes();
            }
        });
        assertTrue(failure.getMessage().contains("is not the object the manifest records"), failure.getMessage());
    }

    @Test
    void aMissingObjectSaysSo() {
        assertThrows(NoSuchKeyException.class, () -> {
            try (InputStream in = ranged("absent", 5L * RANGE, buffers(2))) {
                in.read();
            }
        });
    }
}
