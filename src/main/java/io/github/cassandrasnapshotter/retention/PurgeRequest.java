package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.storage.LockTiming;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code purge}: which base path, which snapshots to keep ({@link RetentionPolicy}), how old an
 * unfinished multipart upload must be before it is aborted, and whether anything is deleted at all.
 *
 * @param requestsAtOnce DeleteObjects requests in flight together
 */
public record PurgeRequest(S3Settings s3, RetentionPolicy policy, Duration uploadsGrace, boolean dryRun,
                           LockTiming lockTiming, int requestsAtOnce) {
    /** Multipart uploads started longer ago than this are aborted (invisible in listings, billed by the byte). */
    public static final Duration DEFAULT_UPLOADS_GRACE = Duration.ofDays(1);
    public static final int DEFAULT_REQUESTS_AT_ONCE = 8;

    public PurgeRequest {
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(lockTiming, "lockTiming");
        if (uploadsGrace == null || uploadsGrace.isNegative()) {
            throw new IllegalArgumentException("--uploads-grace must be a duration of zero or more");
        }
        if (requestsAtOnce < 1) {
            throw new IllegalArgumentException("requests at once must be 1 or more");
        }
    }
}
