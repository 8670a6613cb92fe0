package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.util.RootCause;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One HEAD of the bucket before a command starts its routes, so that a store that cannot be reached,
 * a bucket that does not exist or keys that are refused end the command in one line, before any node
 * is touched.
 */
public final class BucketCheck {
    private BucketCheck() {
    }

    /** @throws StoreUnavailableException saying what is wrong, in terms of the command's flags */
    public static void check(S3Client s3, S3Settings settings) {
        String where = "s3://" + settings.bucket()
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
        try {
            s3.headBucket(b -> b.bucket(settings.bucket()));
        } catch (S3Exception e) {
            throw new StoreUnavailableException(switch (e.statusCode()) {
                case 404 -> "bucket " + where + " does not exist (--s3-bucket-name)";
                case 403 -> "access to " + where + " denied (HTTP 403): check the keys and the bucket's policy";
                case 301 -> "bucket " + where + " is not in region " + settings.region() + " (--s3-bucket-region)";
                case 400 -> "bucket " + where + " answered HTTP 400 (a wrong --s3-bucket-region?)";
                default -> "bucket " + where + " answered HTTP " + e.statusCode();
            }, e);
        } catch (SdkClientException e) {
            Throwable cause = RootCause.of(e);
            String why = cause instanceof java.net.UnknownHostException ? "unknown host " + cause.getMessage() : cause.getMessage();
            throw new StoreUnavailableException("cannot reach " + where + ": " + why, e);
        }
    }
}
