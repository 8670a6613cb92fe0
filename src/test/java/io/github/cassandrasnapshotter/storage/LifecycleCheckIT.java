package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.testsupport.FreePorts;
import io.github.cassandrasnapshotter.testsupport.RefusingProxy;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3MockServer;
import io.github.cassandrasnapshotter.testsupport.TempFolders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle configuration as real stores answer it: S3Mock keeps the rules it is given (and answers
 * 404 NoSuchLifecycleConfiguration before), S3Proxy answers 501 NotImplemented (it has no lifecycle rules).
 */
class LifecycleCheckIT {
    @RegisterExtension
    static final S3Bucket PROXY = new S3Bucket("lifecycle");

    static Path mockDir;
    static S3MockServer mock;
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        mockDir = Files.createTempDirectory("s3mock-");
        mock = S3MockServer.start(mockDir);
        s3 = mock.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (mock != null) {
            mock.close();
        }
        if (mockDir != null) {
            TempFolders.deleteQuietly(mockDir);
        }
    }

    static String bucketExpiring(String bucket, String prefix) {
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(r -> r
                .id("expire-old").status(ExpirationStatus.ENABLED).filter(f -> f.prefix(prefix)).expiration(e -> e.days(30)))));
        return bucket;
    }

    @Test
    void aBucketWithoutConfigurationAllowsReferences() {
        s3.createBucket(b -> b.bucket("lc-none"));
        S3Exception none = assertThrows(S3Exception.class, () -> s3.getBucketLifecycleConfiguration(b -> b.bucket("lc-none")));
        assertEquals(404, none.statusCode());
        assertEquals("NoSuchLifecycleConfiguration", none.awsErrorDetails().errorCode());
        assertEquals(Optional.empty(), LifecycleCheck.whyCopies(s3, "lc-none", "base"));
    }

    @Test
    void aRuleExpiringTheBasePathMeansCopies() {
        String bucket = bucketExpiring("lc-base", "base/");
        assertEquals(Optional.of("lifecycle rule 'expire-old' of bucket lc-base expires objects under base/ after 30 days:"
                        + " each snapshot stores its own copies (purge is the way to delete with references)"),
                LifecycleCheck.whyCopies(s3, bucket, "/base/"));
    }

    @Test
    void aRuleOnAnotherPrefixAllowsReferences() {
        String bucket = bucketExpiring("lc-other", "other/");
        assertEquals(Optional.empty(), LifecycleCheck.whyCopies(s3, bucket, "base"));
        assertTrue(LifecycleCheck.whyCopies(s3, bucket, "").isPresent(), "the bucket's root holds other/");
    }

    @Test
    void aDeniedReadMeansCopies() throws Exception {
        s3.createBucket(b -> b.bucket("lc-denied"));
        try (RefusingProxy proxy = new RefusingProxy(new InetSocketAddress("127.0.0.1", mock.port()),
                line -> line.contains("?lifecycle"));
             S3Client denied = S3MockServer.clientAt(proxy.endpoint())) {
            assertEquals(Optional.of("cannot read the lifecycle configuration of bucket lc-denied (HTTP 403 AccessDenied):"
                            + " each snapshot stores its own copies; allow s3:GetLifecycleConfiguration to store each SSTable once"),
                    LifecycleCheck.whyCopies(denied, "lc-denied", "base"));
            assertEquals(1, proxy.refusedRequests().size(), proxy.refusedRequests().toString());
        }
    }

    @Test
    void aStoreThatCannotBeReachedMeansCopies() {
        try (S3Client nowhere = S3MockServer.clientAt("http://127.0.0.1:" + FreePorts.find())) {
            String why = LifecycleCheck.whyCopies(nowhere, "lc-nowhere", "base").orElseThrow();
            assertTrue(why.startsWith("cannot read the lifecycle configuration of bucket lc-nowhere (no answer: "), why);
        }
    }

    @Test
    void s3ProxyHasNoLifecycleRules() {
        S3Exception notImplemented = assertThrows(S3Exception.class,
                () -> PROXY.client().getBucketLifecycleConfiguration(b -> b.bucket(PROXY.name())));
        assertEquals(501, notImplemented.statusCode(), notImplemented.getMessage());
        assertEquals("NotImplemented", notImplemented.awsErrorDetails().errorCode(), notImplemented.getMessage());
        assertEquals(Optional.empty(), LifecycleCheck.whyCopies(PROXY.client(), PROXY.name(), "base"));
    }
}
