package io.github.cassandrasnapshotter.retention;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.manifest.PurgeReport;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.S3LockStore;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The {@code snapshotter-purge} route's bean: deletes the snapshots a {@link RetentionPolicy} does not
 * keep, under the base path's lock (a running backup holds it, so purge waits for no one and deletes
 * nothing a backup is writing). A {@link PurgePlan} decides once what goes; a dry run counts it, a purge
 * has a {@link PurgeDeleter} carry it out in its safe order; the report is stored last.
 *
 * <p>Ages are judged by the store's clock (the lock's, or for a dry run the {@code Date} of the store's
 * answer), never by this machine's.
 */
public final class Purge {
    private static final Logger LOG = LoggerFactory.getLogger(Purge.class);

    private final S3Client s3;
    private final ObjectMapper json;
    private final Clock clock;

    /** @param clock this machine's clock: only for the times the lock object shows (ages use the store's) */
    public Purge(S3Client s3, ObjectMapper json, Clock clock) {
        this.s3 = s3;
        this.json = json;
        this.clock = clock;
    }

    public PurgeReport run(PurgeRequest request) throws InterruptedException {
        if (request.dryRun()) {
            return dryRun(request);
        }
        ObjectTarget lockTarget = ObjectTarget.of(request.s3(), new StorageKeys(request.s3().basePath()).statusKey(RunLock.KEY));
        try (RunLock lock = RunLock.acquire(new S3LockStore(s3, lockTarget), "purge", request.lockTiming(), clock,
                System::nanoTime).keepAlive()) {
            return purge(request, lock);
        }
    }

    private PurgeReport dryRun(PurgeRequest request) throws InterruptedException {
        Instant now = storeNow(request);
        BucketReader bucket = bucket(request);
        BackupCatalog catalog = new BackupCatalog(bucket, request.s3().basePath());
        PurgePlan plan = PurgePlan.decide(request.policy(), catalog, bucket, now);
        PurgeTally tally = plan.count(bucket);
        int uploads = uploads(request, catalog, now).count();
        return report(request, plan, tally, uploads, new FailedDeletes(catalog.keys()), now, true);
    }

    private PurgeReport purge(PurgeRequest request, RunLock lock) throws InterruptedException {
        Instant now = lock.storeNow();
        BucketReader bucket = bucket(request);
        BackupCatalog catalog = new BackupCatalog(bucket, request.s3().basePath());
        StorageKeys keys = catalog.keys();
        PurgePlan plan = PurgePlan.decide(request.policy(), catalog, bucket, now);
        FailedDeletes failed = new FailedDeletes(keys);
        PurgeDeleter deleter = new PurgeDeleter(s3, json, request, bucket, catalog, lock, now, failed);
        PurgeTally tally = deleter.carryOut(plan);
        int aborted = uploads(request, catalog, now).abort(failed);
        if (failed.isEmpty()) {
            // Only now: every snapshot it named is gone, or is a folder with its tombstone.
            lock.ensureHeld("removing " + keys.statusKey(PurgeRecord.KEY));
            try {
                s3.deleteObject(b -> b.bucket(bucket.bucket()).key(keys.statusKey(PurgeRecord.KEY)));
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                failed.add(keys.statusKey(PurgeRecord.KEY), String.valueOf(e.getMessage()));
            }
        }
        PurgeReport report = report(request, plan, tally, aborted, failed, now, false);
        try {
            lock.ensureHeld("storing the purge report");
            deleter.put(keys.statusKey(StorageKeys.LAST_PURGE), report);
        } catch (RuntimeException e) {
            LOG.warn("{} not written: {}", keys.statusKey(StorageKeys.LAST_PURGE), e.getMessage());
        }
        return report;
    }

    private static PurgeReport report(PurgeRequest request, PurgePlan plan, PurgeTally tally, int uploads,
                                      FailedDeletes failed, Instant now, boolean dryRun) {
        return new PurgeReport(request.s3().bucket(), request.s3().basePath(), dryRun, now.toString(),
                request.policy().describe(), plan.kept(), plan.decision().keptByRule(), List.copyOf(plan.snapshots()),
                tally.objects(), tally.bytes(), tally.referenced(), tally.holding(), tally.emptied(), uploads,
                failed.report());
    }

    private BucketReader bucket(PurgeRequest request) {
        // With a key file, a record without its seal is unreadable, so it is kept and counts for no rule.
        return new BucketReader(s3, request.s3().bucket(), json, request.s3().clientKeys());
    }

    private StaleUploads uploads(PurgeRequest request, BackupCatalog catalog, Instant now) {
        return new StaleUploads(s3, request.s3().bucket(), catalog.keys().basePrefix(), now.minus(request.uploadsGrace()));
    }

    /** A dry run holds no lock: the store's time from the {@code Date} of its answer to a HEAD of the bucket. */
    private Instant storeNow(PurgeRequest request) {
        Instant now = S3LockStore.storeTime(s3.headBucket(b -> b.bucket(request.s3().bucket())).sdkHttpResponse(), null);
        if (now == null) {
            LOG.warn("the store sent no Date: the dry run judges ages by this machine's clock");
            return clock.instant();
        }
        return now;
    }
}
