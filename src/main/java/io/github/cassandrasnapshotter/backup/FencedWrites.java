package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.manifest.RunEntry;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.ConditionFailedException;
import io.github.cassandrasnapshotter.storage.MetadataObjects;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.StorageObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The writes of a run that mark something complete (the run summary, manifest.json): each is made only
 * while the run still holds its base path's lock (checked just before the write, see
 * {@link RunLock#ensureHeld}), and manifest.json only conditionally: a new snapshot's with If-None-Match,
 * a rewrite with If-Match on the ETag that was read, so two runs never overwrite each other's entries.
 */
public final class FencedWrites {
    private static final Logger LOG = LoggerFactory.getLogger(FencedWrites.class);
    /** Reads and rewrites of manifest.json before giving up when other writers keep coming between. */
    static final int REWRITE_ATTEMPTS = 5;

    private final MetadataObjects objects;
    private final ObjectMapper json;

    public FencedWrites(MetadataObjects objects, ObjectMapper json) {
        this.objects = objects;
        this.json = json;
    }

    /**
     * The run summary (its own key under {@code _runs/<run>/}). A COMPLETE one is an incremental run's
     * complete mark, so it needs the lock; a FAILED one marks nothing and is written in any case.
     */
    public void summary(StorageObject summary, BackupOutcome outcome, BackupPlan plan, RunLock lock) {
        if (outcome.readyToComplete(plan.hosts())) {
            lock.ensureHeld("writing its COMPLETE run summary " + summary.key());
        }
        objects.put(plan.s3(), summary);
    }

    /** A new snapshot's manifest.json, once: If-None-Match, so an existing one is never replaced. */
    public void createManifest(StorageObject manifest, BackupPlan plan, RunLock lock) {
        lock.ensureHeld("writing " + manifest.key());
        try {
            objects.create(plan.s3(), manifest);
        } catch (ConditionFailedException e) {
            throw new ConditionFailedException(manifest.key() + " already exists (another run wrote it): this run's "
                    + "is not written over it; run the backup again");
        }
    }

    /**
     * The snapshot's manifest.json with this incremental run added: read with its ETag, the run added,
     * written with If-Match; read again and retried when another writer came between, keeping its entries.
     */
    public void addRun(RunEntry run, BackupOutcome outcome, BackupPlan plan, RunLock lock) {
        String key = new StorageKeys(plan.s3().basePath()).manifestKey(plan.snapshot());
        for (int attempt = 1; attempt <= REWRITE_ATTEMPTS; attempt++) {
            Optional<MetadataObjects.Versioned> current = objects.read(plan.s3(), key);
            if (current.isEmpty()) {
                throw new IllegalStateException(key + " is gone: the snapshot's manifest is not written again");
            }
            SnapshotManifest stored = parse(key, current.get().content());
            if (stored.runs() != null && stored.runs().contains(run.runId())) {
                outcome.manifest(stored); // an earlier attempt's write that did land
                return;
            }
            SnapshotManifest updated = stored.withRun(run);
            byte[] content;
            try {
                content = json.writeValueAsBytes(updated);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lock.ensureHeld("rewriting " + key);
            try {
                objects.replace(plan.s3(), StorageObject.json(key, content), current.get().etag());
                outcome.manifest(updated);
                return;
            } catch (ConditionFailedException e) {
                LOG.warn("{} changed since this run read it: reading it again (attempt {} of {})", key, attempt,
                        REWRITE_ATTEMPTS);
            }
        }
        throw new ConditionFailedException(key + " kept changing under this run's rewrite (" + REWRITE_ATTEMPTS
                + " attempts): it does not list run " + run.runId() + "; the run's summary records it");
    }

    private SnapshotManifest parse(String key, byte[] content) {
        try {
            return json.readValue(content, SnapshotManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is not readable JSON: it is not written again", e);
        }
    }
}
