package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.services.s3.S3Client;

import java.util.Optional;

/** PLACEHOLDER until the lifecycle branch lands: replaced by its class. */
public final class LifecycleCheck {
    private LifecycleCheck() {
    }

    public static Optional<String> whyCopies(S3Client s3, String bucket, String basePath) {
        return Optional.empty();
    }
}
