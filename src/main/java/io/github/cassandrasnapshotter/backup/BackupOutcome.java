package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.manifest.SnapshotManifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every host's result of one run, gathered by {@link HostResultAggregator}. */
public final class BackupOutcome {
    private final List<HostResult> hosts = new ArrayList<>();
    private String metadataError;
    private String lockError;
    private boolean complete;
    private SnapshotManifest manifest;

    public synchronized void add(HostResult result) {
        hosts.add(result);
        hosts.sort(Comparator.comparing(HostResult::host));
    }

    public synchronized List<HostResult> hosts() {
        return List.copyOf(hosts);
    }

    /** True when every planned host reported and every file of every host is uploaded. */
    public synchronized boolean allHostsSucceeded(List<String> plannedHosts) {
        return hosts.size() == plannedHosts.size() && hosts.stream().allMatch(HostResult::ok);
    }

    public synchronized void metadataFailed(String error) {
        this.metadataError = error;
    }

    public synchronized String metadataError() {
        return metadataError;
    }

    /** This run lost its base path's lock before its complete mark: it stays FAILED and writes nothing shared. */
    public synchronized void lockLost(String error) {
        this.lockError = error;
    }

    public synchronized String lockError() {
        return lockError;
    }

    /** Every host and its metadata succeeded and the run still held its lock: its complete mark may be written. */
    public synchronized boolean readyToComplete(List<String> plannedHosts) {
        return allHostsSucceeded(plannedHosts) && metadataError == null && lockError == null;
    }

    /** Its complete mark is written: manifest.json for a snapshot, a COMPLETE summary for an incremental run. */
    public synchronized void markComplete() {
        this.complete = true;
    }

    public synchronized boolean complete() {
        return complete;
    }

    /** The manifest.json this run is about to write (a new snapshot's, or its snapshot's with this run added). */
    synchronized void manifest(SnapshotManifest manifest) {
        this.manifest = manifest;
    }

    /**
     * What an embedding application gets back: the snapshot's manifest.json as written by a complete
     * run (for an incremental run, the snapshot's with this run listed); empty when the run failed.
     */
    public synchronized Optional<SnapshotManifest> manifest() {
        return complete ? Optional.ofNullable(manifest) : Optional.empty();
    }
}
