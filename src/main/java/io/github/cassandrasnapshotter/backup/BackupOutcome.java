package io.github.cassandrasnapshotter.backup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every host's result of one run, gathered by {@link HostResultAggregator}. */
public final class BackupOutcome {
    private final List<HostResult> hosts = new ArrayList<>();
    private String metadataError;
    private boolean complete;

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

    /** Its complete mark is written: manifest.json for a snapshot, a COMPLETE summary for an incremental run. */
    public synchronized void markComplete() {
        this.complete = true;
    }

    public synchronized boolean complete() {
        return complete;
    }
}
