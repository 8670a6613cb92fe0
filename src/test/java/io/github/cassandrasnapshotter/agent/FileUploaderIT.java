package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.storage.PartBufferPool;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One file's upload against a real S3 server: multipart, torn-file detection, abort. */
class FileUploaderIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("uploads");
    static final String BUCKET = S3.name();
    static S3ProxyServer server;
    static S3Client s3;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        server = S3.server();
        s3 = S3.client();
    }

    private static S3Settings settings() {
        return new S3Settings(BUCKET, "torn", "us-east-1", server.endpoint(), S3ProxyServer.IDENTITY,
                S3ProxyServer.CREDENTIAL, false, null);
    }

    @Test
    void aFileThatChangesWhileItIsReadIsReadAgainAndNeverStoredTorn() throws Exception {
        Path file = work.resolve("nb-1-big-Statistics.db");
        byte[] original = new byte[12 * 1024 * 1024];
        new Random(3).nextBytes(original);
        Files.write(file, original);
        ExecutorService parts = Executors.newFixedThreadPool(2);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (S3Client client = S3ClientFactory.create(settings(), 4)) {
            // 8 MB/s: reading the 12 MB file takes about 1.5 s; Cassandra-like rewrite in place after 0.5 s.
            FileUploader uploader = new FileUploader(client, settings(), "20260101000000", "h1", Compression.LZO,
                    new PartBufferPool(5 * 1024 * 1024, 3), parts, 2, new RateLimiter(8 * 1024), new LongAdder(),
                    AgentStop.never());
            Future<?> rewrite = writer.submit(() -> {
                TimeUnit.MILLISECONDS.sleep(500);
                Files.write(file, new byte[1000], StandardOpenOption.APPEND);
                return null;
            });
            FileResult result = uploader.upload(new NodeFile(file, "ks", "t", file.getFileName().toString(), FileKind.SNAPSHOT));
            rewrite.get();

            assertTrue(result.ok(), result.toString());
            assertEquals(2, result.attempts(), "the torn first read was thrown away");
            assertEquals(original.length + 1000, result.size());
            assertEquals(S3Objects.sha256(file), result.sha256());
            assertEquals(S3Objects.sha256(file), new S3Objects(s3, BUCKET).decompressedSha256(result.key()));
            assertEquals(0, s3.listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size(),
                    "the torn attempt's multipart upload was aborted");
        } finally {
            parts.shutdownNow();
            writer.shutdownNow();
        }
    }

    @Test
    void aFileThatCannotBeReadFailsAtOnceWithItsPath() throws Exception {
        Path link = work.resolve("nb-2-big-Data.db");
        Files.createSymbolicLink(link, work.resolve("gone"));
        ExecutorService parts = Executors.newFixedThreadPool(1);
        try (S3Client client = S3ClientFactory.create(settings(), 2)) {
            FileUploader uploader = new FileUploader(client, settings(), "20260101000000", "h1", Compression.LZO,
                    new PartBufferPool(5 * 1024 * 1024, 2), parts, 1, RateLimiter.unlimited(), new LongAdder(),
                    AgentStop.never());
            FileResult result = uploader.upload(new NodeFile(link, "ks", "t", link.getFileName().toString(), FileKind.SNAPSHOT));
            assertEquals(1, result.attempts(), "not worth a retry");
            assertTrue(result.error().contains(link.toString()) && result.error().contains("broken link"), result.error());
        } finally {
            parts.shutdownNow();
        }
    }
}
