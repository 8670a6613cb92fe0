package io.github.cassandrasnapshotter.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.manifest.BackupStatus;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.StorageObject;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code <base>/_status/catalog.json}: what {@code list} shows of each snapshot of ours, kept by the
 * backup runs (which hold the base path's lock), so that {@code list} reads one object instead of one
 * per snapshot. It is a cache: {@code list} still lists the snapshot folders, reads any snapshot the
 * catalog does not hold, and trusts the catalog only when it was written by the run that wrote
 * {@code last-run.json}.
 */
public final class CatalogIndex {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogIndex.class);
    public static final String FORMAT = "cassandra-snapshotter/catalog-1";

    /** The object: which run wrote it, and one listing entry per snapshot. */
    public record Catalog(@JsonProperty("format") String format, @JsonProperty("updated_by") String updatedBy,
                          @JsonProperty("snapshots") List<BackupListing.Snapshot> snapshots) {
    }

    private final S3Client s3;
    private final ObjectMapper json;

    public CatalogIndex(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    /**
     * The catalog after a run, written before its status: the run's snapshot as its manifest.json now
     * stands in the store (absent when the run wrote none), every other entry as it was.
     */
    public StorageObject afterRun(BackupPlan plan) throws JsonProcessingException {
        StorageKeys keys = new StorageKeys(plan.s3().basePath());
        BucketReader bucket = new BucketReader(s3, plan.s3().bucket(), json);
        Map<String, BackupListing.Snapshot> entries = new TreeMap<>(Comparator.reverseOrder());
        Optional<Catalog> current = trusted(bucket, keys);
        if (current.isPresent()) {
            current.get().snapshots().forEach(s -> entries.put(s.name(), s));
        } else {
            // None yet (a base path this version has not backed up before), or not to be trusted: made
            // again from every snapshot's manifest, once.
            try {
                new BackupCatalog(bucket, plan.s3().basePath())
                        .forEachSnapshot(name -> completeEntry(bucket, keys, name))
                        .forEach(entry -> entry.ifPresent(e -> entries.put(e.name(), e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while reading the snapshots' manifests", e);
            }
        }
        entries.remove(plan.snapshot());
        // A snapshot whose manifest.json the run found unusable: list reads it, and shows it as unreadable.
        plan.unreadableManifests().forEach(entries::remove);
        completeEntry(bucket, keys, plan.snapshot()).ifPresent(entry -> entries.put(entry.name(), entry));
        Catalog catalog = new Catalog(FORMAT, plan.runId(), new ArrayList<>(entries.values()));
        return StorageObject.json(keys.statusKey(StorageKeys.CATALOG), json.writeValueAsBytes(catalog));
    }

    /** A snapshot's entry from its manifest, when it is complete and written by a version that lists its runs there. */
    private static Optional<BackupListing.Snapshot> completeEntry(BucketReader bucket, StorageKeys keys, String name) {
        try {
            return bucket.readJson(keys.manifestKey(name), SnapshotManifest.class)
                    .filter(BackupLister::listsItsRuns).map(BackupLister::entry);
        } catch (UnreadableObjectException e) {
            // Left out: list then reads the manifest itself and shows it as unreadable.
            LOG.warn("{}; it is left out of {}", e.getMessage(), keys.statusKey(StorageKeys.CATALOG));
            return Optional.empty();
        }
    }

    /** The catalog could not be written: remove it, so that list reads every manifest rather than a stale catalog. */
    public void notWritten(BackupPlan plan, String reason) {
        String key = new StorageKeys(plan.s3().basePath()).statusKey(StorageKeys.CATALOG);
        LOG.warn("{} not updated ({}); list reads the snapshots' manifests until the next run", key, reason);
        try {
            s3.deleteObject(b -> b.bucket(plan.s3().bucket()).key(key));
        } catch (RuntimeException e) {
            LOG.warn("{} not removed either ({}); list trusts it only while last-run.json names the run that wrote it",
                    key, e.getMessage());
        }
    }

    /** The catalog, when the run that wrote the base path's last-run.json also wrote it. */
    static Optional<Catalog> trusted(BucketReader bucket, StorageKeys keys) {
        try {
            Optional<Catalog> catalog = bucket.readJson(keys.statusKey(StorageKeys.CATALOG), Catalog.class)
                    .filter(c -> FORMAT.equals(c.format()) && c.snapshots() != null && c.updatedBy() != null);
            if (catalog.isEmpty()) {
                return Optional.empty();
            }
            Optional<BackupStatus> lastRun = bucket.readJson(keys.statusKey(StorageKeys.LAST_RUN), BackupStatus.class);
            return lastRun.isPresent() && catalog.get().updatedBy().equals(lastRun.get().runId()) ? catalog : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
