package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.storage.RunLock;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;

/** The backup route's lock bean: one backup of a base path at a time, whoever starts it (see {@link RunLock}). */
public final class RunLocks {
    /** How long a lock outlives a coordinator that died without releasing it; renewed every third of it. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    private final S3Client s3;
    private final Duration ttl;
    private final Clock clock;

    public RunLocks(S3Client s3, Duration ttl, Clock clock) {
        this.s3 = s3;
        this.ttl = ttl;
        this.clock = clock;
    }

    public RunLock acquire(BackupRequest request) {
        return RunLock.acquire(s3, request.s3(), "backup of " + String.join(",", request.hosts()), ttl, clock);
    }

    public void release(RunLock lock) {
        if (lock != null) {
            lock.close();
        }
    }
}
