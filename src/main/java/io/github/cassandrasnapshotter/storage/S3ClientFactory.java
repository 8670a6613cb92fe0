package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.time.Duration;

/** The one way this tool builds an S3 client, on the coordinator and on every node alike. */
public final class S3ClientFactory {
    /** Attempts per request, as the old tool made per part. */
    public static final int MAX_ATTEMPTS = 5;

    private S3ClientFactory() {
    }

    public static S3Client create(S3Settings settings, int maxConnections) {
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(Math.max(4, maxConnections))
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofMinutes(2));
        boolean plainEndpoint = settings.endpoint() != null && settings.endpoint().regionMatches(true, 0, "http://", 0, 7);
        if (plainEndpoint) {
            http.socketFactory(new NoTlsSocketFactory(settings.endpoint()));
        }
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                // Our own SHA-256 is the integrity check; an extra CRC per part would read every byte again.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(http)
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(MAX_ATTEMPTS)))
                // Over plain HTTP a part's payload is signed: one SHA-256 over the whole part (our parts
                // are in memory and read twice) rather than a signed 128 KB chunk at a time, each a new array.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build());
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint())).forcePathStyle(true);
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.hasExplicitKeys() && settings.sessionToken() != null) {
            return StaticCredentialsProvider.create(AwsSessionCredentials.create(settings.accessKeyId(),
                    settings.secretAccessKey(), settings.sessionToken()));
        }
        if (settings.hasExplicitKeys()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
