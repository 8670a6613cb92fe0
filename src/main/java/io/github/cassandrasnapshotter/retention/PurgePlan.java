package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.manifest.PurgeTombstone;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one purge deletes, decided once before anything is deleted: the snapshots no rule keeps (and those a
 * stopped purge's record finishes), the purged folders to look at again, and the objects in either that a
 * kept snapshot's file list names ({@link LiveReferences}), which stay. Reads only; {@link PurgeDeleter}
 * carries it out, and {@link #count} says what it would delete (a dry run).
 */
final class PurgePlan {
    private final StorageKeys keys;
    private final Map<String, List<String>> kept;
    private final RetentionDecision decision;
    private final Set<String> snapshots;
    private final Map<String, PurgeTombstone> folders;
    private final Set<String> live;

    private PurgePlan(StorageKeys keys, Map<String, List<String>> kept, RetentionDecision decision,
                      Set<String> snapshots, Map<String, PurgeTombstone> folders, Set<String> live) {
        this.keys = keys;
        this.kept = kept;
        this.decision = decision;
        this.snapshots = snapshots;
        this.folders = folders;
        this.live = live;
    }

    /**
     * @param now the store's time: what the rules and the grace periods count from
     * @throws IllegalStateException when a kept snapshot's file list cannot be read (nothing may be deleted then)
     */
    static PurgePlan decide(RetentionPolicy policy, BackupCatalog catalog, BucketReader bucket, Instant now)
            throws InterruptedException {
        StorageKeys keys = catalog.keys();
        List<SnapshotRecord> all = catalog.readAll();
        Map<String, List<String>> kept = new TreeMap<>();
        List<SnapshotCandidate> candidates = new ArrayList<>();
        Map<String, PurgeTombstone> folders = new TreeMap<>();
        for (SnapshotRecord folder : all) {
            if (folder.purged()) {
                // Purged already: no snapshot, never judged by the rules, never legacy. Looked at again below.
                try {
                    tombstone(catalog, folder.name()).ifPresent(t -> folders.put(folder.name(), t));
                } catch (UnreadableObjectException e) {
                    kept.put(folder.name(), List.of("purged folder, left as it is: " + e.getMessage()));
                }
            } else if (!folder.unreadable().isEmpty()) {
                // What cannot be read cannot be judged: it stays until an operator looks at it.
                kept.put(folder.name(), List.of("unreadable: " + String.join("; ", folder.unreadable())));
            } else {
                candidates.add(SnapshotCandidate.of(folder));
            }
        }
        RetentionDecision decision = policy.decide(candidates, now);
        Set<String> snapshots = new TreeSet<>(decision.purged());
        // A stopped purge's snapshots whose manifest.json is gone are finished; any other it named is judged
        // again by today's rules (the record is only a list of names: it never overrides a kept snapshot).
        bucket.readJson(keys.statusKey(PurgeRecord.KEY), PurgeRecord.class).ifPresent(record -> all.stream()
                .filter(s -> record.snapshots().contains(s.name()))
                .filter(s -> s.manifest() == null && s.unreadable().isEmpty() && !s.purged())
                .forEach(s -> snapshots.add(s.name())));
        for (String name : decision.kept()) {
            if (!snapshots.contains(name)) {
                kept.put(name, decision.reasonsFor(name));
            }
        }
        List<String> prefixes = new ArrayList<>();
        snapshots.forEach(name -> prefixes.add(keys.snapshotPrefix(name)));
        folders.keySet().forEach(name -> prefixes.add(keys.snapshotPrefix(name)));
        List<SnapshotRecord> keptRecords = all.stream().filter(s -> kept.containsKey(s.name())).toList();
        Set<String> live = LiveReferences.into(prefixes, keptRecords, catalog);
        return new PurgePlan(keys, kept, decision, snapshots, folders, live);
    }

    /**
     * A purged folder's tombstone, read (and with a key file, its seal checked). One that cannot be read (not
     * JSON, or not sealed, sealed by other keys, changed) may not be one a purge wrote: it throws, and the folder
     * is left as it is. Even a tombstone that were wrongly trusted would not delete an object a kept snapshot
     * names: what stays is decided by the kept file lists alone ({@link LiveReferences}), never by a tombstone;
     * its counts are only shown. Empty when it went since the listing.
     *
     * @throws UnreadableObjectException when it exists and cannot be used
     */
    private static Optional<PurgeTombstone> tombstone(BackupCatalog catalog, String name) {
        return catalog.tombstone(name);
    }

    /** Kept snapshots (and folders left alone), each with why. */
    Map<String, List<String>> kept() {
        return kept;
    }

    RetentionDecision decision() {
        return decision;
    }

    /** The snapshots to delete, oldest first. */
    Set<String> snapshots() {
        return snapshots;
    }

    /** Purged folders (each with a readable tombstone) whose objects are looked at again, oldest first. */
    Set<String> folders() {
        return folders.keySet();
    }

    /** A folder's tombstone as this plan read it. */
    PurgeTombstone tombstone(String folder) {
        return folders.get(folder);
    }

    /** Whether a kept snapshot's file list names the object: then it is never deleted. */
    boolean live(String key) {
        return live.contains(key);
    }

    String prefix(String name) {
        return keys.snapshotPrefix(name);
    }

    StorageKeys keys() {
        return keys;
    }

    /** What carrying the plan out would delete, counted from listings: a dry run's report. */
    PurgeTally count(BucketReader bucket) {
        PurgeTally tally = new PurgeTally();
        for (String name : snapshots) {
            long referenced = 0;
            for (S3Object object : bucket.eachObject(prefix(name))) {
                if (live(object.key())) {
                    referenced++;
                } else {
                    tally.deleted(object.size());
                }
            }
            tally.referenced(name, referenced);
        }
        for (String name : folders.keySet()) {
            String tombstone = keys.purgedKey(name);
            long referenced = 0;
            long tombstoneSize = 0;
            for (S3Object object : bucket.eachObject(prefix(name))) {
                if (object.key().equals(tombstone)) {
                    tombstoneSize = object.size();
                } else if (live(object.key())) {
                    referenced++;
                } else {
                    tally.deleted(object.size());
                }
            }
            tally.referenced(name, referenced);
            if (referenced == 0) {
                tally.deleted(tombstoneSize);
                tally.emptied(name);
            }
        }
        return tally;
    }
}
