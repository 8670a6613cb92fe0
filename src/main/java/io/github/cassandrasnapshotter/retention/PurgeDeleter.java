package io.github.cassandrasnapshotter.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.manifest.PurgeTombstone;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Carries a {@link PurgePlan} out under the lock, in the order that leaves a purge stopped at any point harmless:
 * <ol>
 *   <li>{@code _status/purge.json} names the snapshots about to go (the next purge finishes them);</li>
 *   <li>the catalog cache is removed, so {@code list} reads the manifests that remain;</li>
 *   <li>every purged snapshot's {@code manifest.json}, so none is ever taken for complete again;</li>
 *   <li>their data objects, except those a kept file list names;</li>
 *   <li>their {@code _runs/} records: a record outlives the objects it names;</li>
 *   <li>a folder that keeps named objects gets its tombstone {@code _runs/purged.json} last, once all else of it
 *       is gone (until then purge.json names it, so a purge stopped before the tombstone is finished by the next);</li>
 *   <li>each purged folder: what no kept list names any more, then its tombstone once nothing else is left.</li>
 * </ol>
 * A snapshot whose manifest.json could not be deleted keeps all its objects; a folder where a delete failed
 * gets no tombstone and keeps it. Every batch, record and tombstone is written or deleted only while the lock is
 * surely held ({@link RunLock#ensureHeld}).
 */
final class PurgeDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(PurgeDeleter.class);

    private final S3Client s3;
    private final ObjectMapper json;
    private final PurgeRequest request;
    private final BucketReader bucket;
    private final BackupCatalog catalog;
    private final RunLock lock;
    private final Instant now;
    private final FailedDeletes failed;
    private final PurgeTally tally = new PurgeTally();

    PurgeDeleter(S3Client s3, ObjectMapper json, PurgeRequest request, BucketReader bucket, BackupCatalog catalog,
                 RunLock lock, Instant now, FailedDeletes failed) {
        this.s3 = s3;
        this.json = json;
        this.request = request;
        this.bucket = bucket;
        this.catalog = catalog;
        this.lock = lock;
        this.now = now;
        this.failed = failed;
    }

    /** @throws io.github.cassandrasnapshotter.storage.LockLostException when the lock is lost: nothing more is deleted */
    PurgeTally carryOut(PurgePlan plan) throws InterruptedException {
        StorageKeys keys = plan.keys();
        if (!plan.snapshots().isEmpty()) {
            lock.ensureHeld("recording the snapshots to purge");
            put(keys.statusKey(PurgeRecord.KEY), new PurgeRecord(PurgeRecord.FORMAT, now.toString(),
                    List.copyOf(plan.snapshots())));
            // Before any manifest: a catalog left behind would still list them as complete. Fails the purge.
            s3.deleteObject(b -> b.bucket(bucket.bucket()).key(keys.statusKey(StorageKeys.CATALOG)));
        }
        Set<String> open = new TreeSet<>();
        for (String name : plan.snapshots()) {
            lock.ensureHeld("deleting the manifest of " + name);
            long size = sizeOf(keys.manifestKey(name));
            if (delete(keys.manifestKey(name))) {
                open.add(name);
                if (size >= 0) {
                    tally.deleted(size);
                }
            }
        }
        BatchDeleter deleter = new BatchDeleter(s3, bucket.bucket(), request.requestsAtOnce(), failed,
                () -> lock.ensureHeld("deleting a batch of objects"));
        // Each step flushes its batches; on a failure (a lost lock) close() only waits for those in flight.
        try (deleter) {
            purgeSnapshots(plan, open, deleter);
            for (String name : plan.folders()) {
                reexamineFolder(plan, name, deleter);
            }
        }
        tally.deletedObjects(deleter.deleted());
        return tally;
    }

    /**
     * Steps 4 to 6 for the snapshots whose manifest.json is gone, all of them together, so that batches are
     * full and several are in flight (one snapshot holds a tenth of a batch): every snapshot's data objects,
     * then, once every one of those batches is answered, the records of each snapshot none of whose deletes
     * failed, then the tombstones.
     */
    private void purgeSnapshots(PurgePlan plan, Set<String> open, BatchDeleter deleter) throws InterruptedException {
        StorageKeys keys = plan.keys();
        java.util.Map<String, Long> referenced = new java.util.TreeMap<>();
        for (String name : open) {
            lock.ensureHeld("deleting " + name);
            String runs = plan.prefix(name) + StorageKeys.RUNS + "/";
            referenced.put(name, deleteUnder(plan, plan.prefix(name), key -> !key.startsWith(runs), deleter));
        }
        deleter.flush();
        List<String> whole = open.stream().filter(name -> failed.in(name) == 0).toList();
        // The records stay with the objects they name wherever a delete failed: purge.json brings the next
        // purge back there. The tombstone is never this step's to delete: it is written after it, or (a folder
        // this purge did not write it in) it is not one of the run records the step is for.
        for (String name : whole) {
            String tombstone = keys.purgedKey(name);
            referenced.merge(name, deleteUnder(plan, plan.prefix(name) + StorageKeys.RUNS + "/",
                    key -> !key.equals(tombstone), deleter), Long::sum);
        }
        deleter.flush();
        for (String name : whole) {
            if (failed.in(name) == 0 && referenced.get(name) > 0) {
                lock.ensureHeld("writing the tombstone of " + name);
                writeTombstone(name, now.toString());
            }
            tally.referenced(name, referenced.get(name));
            LOG.info("purged {}", name);
        }
    }

    /** Step 7 for one purged folder: what no kept list names any more, then its tombstone once it is alone. */
    private void reexamineFolder(PurgePlan plan, String name, BatchDeleter deleter) throws InterruptedException {
        lock.ensureHeld("deleting in the purged folder " + name);
        String tombstone = plan.keys().purgedKey(name);
        long referenced = deleteUnder(plan, plan.prefix(name), key -> !key.equals(tombstone), deleter);
        deleter.flush();
        tally.referenced(name, referenced);
        if (failed.in(name) > 0) {
            return;
        }
        if (referenced > 0) {
            // Its tombstone stays: the folder still holds what kept snapshots name. Its counts follow.
            PurgeTombstone was = plan.tombstone(name);
            if (was.referencedObjects() != referenced) {
                lock.ensureHeld("rewriting the tombstone of " + name);
                writeTombstone(name, was.purgedAt());
            }
            return;
        }
        // Listed again: only the tombstone may be left for it to go (nothing else writes here under the lock).
        for (S3Object object : bucket.eachObject(plan.prefix(name))) {
            if (!object.key().equals(tombstone)) {
                LOG.warn("the purged folder {} still holds {}: its tombstone stays", name, object.key());
                return;
            }
        }
        lock.ensureHeld("deleting the tombstone of " + name);
        long size = sizeOf(tombstone);
        if (delete(tombstone)) {
            tally.deleted(Math.max(size, 0));
            tally.emptied(name);
            LOG.info("the purged folder {} is empty now", name);
        }
    }

    /** Queues every key under {@code prefix} that {@code which} accepts and no kept list names; returns the kept. */
    private long deleteUnder(PurgePlan plan, String prefix, Predicate<String> which, BatchDeleter deleter)
            throws InterruptedException {
        long referenced = 0;
        for (S3Object object : bucket.eachObject(prefix)) {
            if (!which.test(object.key())) {
                continue;
            }
            if (plan.live(object.key())) {
                referenced++;
            } else {
                deleter.delete(object.key());
                tally.deletedBytes(object.size());
            }
        }
        return referenced;
    }

    /** The tombstone with the objects the folder keeps counted now, from a listing of it. */
    private void writeTombstone(String name, String purgedAt) {
        String tombstone = catalog.keys().purgedKey(name);
        long objects = 0;
        long bytes = 0;
        for (S3Object object : bucket.eachObject(catalog.keys().snapshotPrefix(name))) {
            if (!object.key().equals(tombstone)) { // itself, when it is rewritten
                objects++;
                bytes += object.size();
            }
        }
        put(catalog.keys().purgedKey(name), new PurgeTombstone(PurgeTombstone.FORMAT, name, purgedAt, objects, bytes));
    }

    /** The object's size, or -1 when there is none (a purge that stopped after deleting it). */
    private long sizeOf(String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket.bucket()).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (S3Exception e) {
            return e.statusCode() == 404 ? -1 : 0; // there, of a size the store would not say: the delete decides
        }
    }

    private boolean delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket.bucket()).key(key));
            return true;
        } catch (SdkException e) {
            failed.add(key, String.valueOf(e.getMessage()));
            return false;
        }
    }

    /** A record, as every record of a run is written: sealed with the request's key file, if any. */
    void put(String key, Object record) {
        try {
            ObjectTarget.of(request.s3(), key).put(s3, json.writeValueAsBytes(record), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + key + ": " + e.getOriginalMessage(), e);
        }
    }
}
