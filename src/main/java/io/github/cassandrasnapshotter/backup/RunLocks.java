package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.S3LockStore;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** The backup route's lock bean: one backup of a base path at a time, whoever starts it (see {@link RunLock}). */
public final class RunLocks {
    private final S3Client s3;
    private final Clock clock;

    public RunLocks(S3Client s3, Clock clock) {
        this.s3 = s3;
        this.clock = clock;
    }

    /** Takes the base path's lock and renews it by {@link BackupRequest#lockTiming()} until released. */
    public RunLock acquire(BackupRequest request) {
        ObjectTarget target = ObjectTarget.of(request.s3(), new StorageKeys(request.s3().basePath()).statusKey(RunLock.KEY));
        return RunLock.acquire(new S3LockStore(s3, target), "backup of " + String.join(",", request.selection().hosts()),
                request.lockTiming(), clock, System::nanoTime).keepAlive();
    }

    /** Fails with LockLostException when this run can no longer be sure it holds its lock. */
    public void ensureHeld(RunLock lock, String next) {
        lock.ensureHeld(next);
    }

    public void release(RunLock lock) {
        if (lock != null) {
            lock.close();
        }
    }
}
