package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.manifest.PurgeReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.S3LockStore;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code snapshotter-purge} route's bean: deletes the snapshots a {@link RetentionPolicy} does not
 * keep, under the base path's lock (a running backup holds it, so purge waits for no one and deletes
 * nothing a backup is writing). The order is what keeps a purge that dies at any point harmless:
 * <ol>
 *   <li>{@code _status/purge.json} names the snapshots about to go (the next purge finishes them);</li>
 *   <li>the catalog cache is removed, so {@code list} reads the manifests that remain;</li>
 *   <li>every purged snapshot's {@code manifest.json}, so none is ever taken for complete again;</li>
 *   <li>their data objects, except those a kept file list names ({@link LiveReferences});</li>
 *   <li>their {@code _runs/} records last: a record outlives the objects it names;</li>
 *   <li>{@code purge.json} is removed once nothing of them is left, and the report is stored.</li>
 * </ol>
 * A snapshot whose manifest.json could not be deleted keeps all its objects.
 */
public final class Purge {
    private static final Logger LOG = LoggerFactory.getLogger(Purge.class);

    private final S3Client s3;
    private final ObjectMapper json;
    private final Clock clock;

    public Purge(S3Client s3, ObjectMapper json, Clock clock) {
        this.s3 = s3;
        this.json = json;
        this.clock = clock;
    }

    public PurgeReport run(PurgeRequest request) throws InterruptedException {
        if (request.dryRun()) {
            return purge(request, null);
        }
        ObjectTarget lockTarget = ObjectTarget.of(request.s3(), new StorageKeys(request.s3().basePath()).statusKey(RunLock.KEY));
        try (RunLock lock = RunLock.acquire(new S3LockStore(s3, lockTarget), "purge", request.lockTiming(), clock,
                System::nanoTime).keepAlive()) {
            return purge(request, lock);
        }
    }

    /** @param lock null for a dry run, which deletes nothing */
    private PurgeReport purge(PurgeRequest request, RunLock lock) throws InterruptedException {
        Instant now = clock.instant();
        String bucketName = request.s3().bucket();
        // With a key file, a record without its seal is unreadable, so it is kept and counts for no rule.
        BucketReader bucket = new BucketReader(s3, bucketName, json, request.s3().clientKeys());
        BackupCatalog catalog = new BackupCatalog(bucket, request.s3().basePath());
        StorageKeys keys = catalog.keys();
        List<SnapshotRecord> snapshots = catalog.readAll();

        Map<String, List<String>> kept = new TreeMap<>();
        List<SnapshotCandidate> candidates = new ArrayList<>();
        for (SnapshotRecord snapshot : snapshots) {
            if (!snapshot.unreadable().isEmpty()) {
                // What cannot be read cannot be judged: it stays until an operator looks at it.
                kept.put(snapshot.name(), List.of("unreadable: " + String.join("; ", snapshot.unreadable())));
            } else {
                candidates.add(SnapshotCandidate.of(snapshot));
            }
        }
        RetentionDecision decision = request.policy().decide(candidates, now);
        Set<String> purged = new TreeSet<>(decision.purged());
        Optional<PurgeRecord> begun = bucket.readJson(keys.statusKey(PurgeRecord.KEY), PurgeRecord.class);
        // A stopped purge's snapshots whose manifest.json is gone are finished; any other it named is judged
        // again by today's rules (the record is only a list of names: it never overrides a kept snapshot).
        begun.ifPresent(record -> snapshots.stream()
                .filter(s -> record.snapshots().contains(s.name()))
                .filter(s -> s.manifest() == null && s.unreadable().isEmpty())
                .forEach(s -> purged.add(s.name())));
        for (String name : decision.kept()) {
            if (!purged.contains(name)) {
                kept.put(name, decision.reasonsFor(name));
            }
        }
        Map<String, String> prefixes = purged.stream()
                .collect(Collectors.toMap(name -> name, keys::snapshotPrefix, (a, b) -> a, LinkedHashMap::new));
        List<SnapshotRecord> keptRecords = snapshots.stream().filter(s -> kept.containsKey(s.name())).toList();
        Set<String> live = LiveReferences.into(prefixes.values(), keptRecords, catalog);

        StaleUploads uploads = new StaleUploads(s3, bucketName, keys.basePrefix(), now.minus(request.uploadsGrace()));
        long objects = 0;
        long bytes = 0;
        long referenced = 0;
        Map<String, String> failed = new TreeMap<>();
        int aborted;
        if (lock == null) {
            for (String prefix : prefixes.values()) {
                for (S3Object object : bucket.eachObject(prefix)) {
                    if (live.contains(object.key())) {
                        referenced++;
                    } else {
                        objects++;
                        bytes += object.size();
                    }
                }
            }
            aborted = uploads.count();
        } else {
            if (!purged.isEmpty()) {
                lock.ensureHeld("recording the snapshots to purge");
                put(request, keys.statusKey(PurgeRecord.KEY), new PurgeRecord(PurgeRecord.FORMAT, now.toString(),
                        List.copyOf(purged)));
                // Before any manifest: a catalog left behind would still list them as complete. Fails the purge.
                s3.deleteObject(b -> b.bucket(bucketName).key(keys.statusKey(StorageKeys.CATALOG)));
            }
            Set<String> open = new TreeSet<>();
            int manifests = 0;
            for (String name : purged) {
                lock.ensureHeld("deleting the manifest of " + name);
                long size = sizeOf(bucketName, keys.manifestKey(name));
                if (delete(bucketName, keys.manifestKey(name), failed)) {
                    open.add(name);
                    if (size >= 0) {
                        manifests++;
                        bytes += size;
                    }
                }
            }
            try (BatchDeleter deleter = new BatchDeleter(s3, bucketName, request.requestsAtOnce(),
                    () -> lock.ensureHeld("deleting a batch of objects"))) {
                for (String name : open) {
                    lock.ensureHeld("deleting " + name);
                    String prefix = prefixes.get(name);
                    String runs = prefix + StorageKeys.RUNS + "/";
                    long[] counted = deleteUnder(bucket, prefix, key -> !key.startsWith(runs), live, deleter);
                    deleter.flush();
                    if (deleter.failed().keySet().stream().noneMatch(key -> key.startsWith(prefix))) {
                        long[] records = deleteUnder(bucket, runs, key -> true, live, deleter);
                        counted[0] += records[0];
                        counted[1] += records[1];
                        deleter.flush();
                    }
                    bytes += counted[0];
                    referenced += counted[1];
                    LOG.info("purged {}", name);
                }
                objects = manifests + deleter.deleted();
                failed.putAll(deleter.failed());
            }
            aborted = uploads.abort(failed);
            if (failed.isEmpty()) {
                delete(bucketName, keys.statusKey(PurgeRecord.KEY), failed);
            }
        }
        PurgeReport report = new PurgeReport(bucketName, request.s3().basePath(), lock == null, now.toString(),
                request.policy().describe(), kept, decision.keptByRule(), List.copyOf(purged), objects, bytes,
                referenced, aborted, failed);
        if (lock != null) {
            try {
                lock.ensureHeld("storing the purge report");
                put(request, keys.statusKey(StorageKeys.LAST_PURGE), report);
            } catch (RuntimeException e) {
                LOG.warn("{} not written: {}", keys.statusKey(StorageKeys.LAST_PURGE), e.getMessage());
            }
        }
        return report;
    }

    /** Deletes every key under {@code prefix} that {@code which} accepts and no kept list names; returns {bytes, referenced}. */
    private long[] deleteUnder(BucketReader bucket, String prefix, java.util.function.Predicate<String> which,
                               Set<String> live, BatchDeleter deleter) throws InterruptedException {
        long bytes = 0;
        long referenced = 0;
        for (S3Object object : bucket.eachObject(prefix)) {
            if (!which.test(object.key())) {
                continue;
            }
            if (live.contains(object.key())) {
                referenced++;
            } else {
                deleter.delete(object.key());
                bytes += object.size();
            }
        }
        return new long[] {bytes, referenced};
    }

    /** The object's size, or -1 when there is none (a purge that stopped after deleting it). */
    private long sizeOf(String bucket, String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return -1;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            return e.statusCode() == 404 ? -1 : 0; // there, of a size the store would not say: the delete decides
        }
    }

    private boolean delete(String bucket, String key, Map<String, String> failed) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            failed.put(key, String.valueOf(e.getMessage()));
            return false;
        }
    }

    private void put(PurgeRequest request, String key, Object record) {
        try {
            ObjectTarget.of(request.s3(), key).put(s3, json.writeValueAsBytes(record), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + key + ": " + e.getOriginalMessage(), e);
        }
    }
}
