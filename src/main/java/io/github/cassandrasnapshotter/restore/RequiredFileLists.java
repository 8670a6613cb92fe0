package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.catalog.RunRecord;
import io.github.cassandrasnapshotter.manifest.RunEntry;
import io.github.cassandrasnapshotter.manifest.RunStatus;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.StorageKeys;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The file lists a snapshot's manifest says exist, so that a restore never leaves out a host or a run
 * because its list is gone from the bucket (deleted by hand, by a lifecycle rule, or by someone who may
 * write there): the snapshot's own run for each host of the manifest, and each complete incremental run
 * the manifest lists, for each of its hosts. A run the manifest does not list (interrupted before it)
 * is restored as far as its lists go.
 */
final class RequiredFileLists {
    private final String bucket;
    private final StorageKeys keys;
    private final String snapshot;
    private final SnapshotManifest manifest;
    private final Set<String> completeRuns;

    /** @param until the last run to restore (point in time), or null for all */
    RequiredFileLists(String bucket, StorageKeys keys, String snapshot, SnapshotManifest manifest, String until) {
        this.bucket = bucket;
        this.keys = keys;
        this.snapshot = snapshot;
        this.manifest = manifest;
        List<RunEntry> runs = manifest.incrementalRuns() == null ? List.of() : manifest.incrementalRuns();
        this.completeRuns = runs.stream()
                .filter(run -> run.status() == RunStatus.COMPLETE)
                .map(RunEntry::runId)
                .filter(id -> until == null || id.compareTo(until) <= 0)
                .collect(Collectors.toSet());
    }

    /** @throws UnreadableSnapshotException when a run the manifest lists as stored has nothing under {@code _runs/} */
    void checkRunsListed(List<RunRecord> runs) {
        Set<String> present = runs.stream().map(RunRecord::runId).collect(Collectors.toSet());
        for (String run : completeRunsAndSnapshot()) {
            if (!present.contains(run)) {
                throw new UnreadableSnapshotException(bucket + keys.manifestKey(snapshot) + " lists run " + run
                        + ", but " + bucket + keys.snapshotPrefix(snapshot) + StorageKeys.RUNS + "/" + run
                        + "/ holds no file list of it");
            }
        }
    }

    /** @throws UnreadableSnapshotException when {@code host}'s list of {@code run} should exist */
    void absent(String run, String host) {
        boolean stored = manifest.hosts().contains(host) && completeRunsAndSnapshot().contains(run);
        if (stored) {
            throw new UnreadableSnapshotException(bucket + keys.manifestKey(snapshot) + " says host " + host
                    + " stored its files in run " + run + ", but its file list " + bucket
                    + keys.runHostKey(snapshot, run, host) + " is missing");
        }
    }

    private Set<String> completeRunsAndSnapshot() {
        Set<String> runs = new java.util.HashSet<>(completeRuns);
        runs.add(snapshot);
        return runs;
    }
}
