package io.github.cassandrasnapshotter.catalog;

import io.github.cassandrasnapshotter.manifest.RunStatus;
import io.github.cassandrasnapshotter.manifest.RunSummary;

import java.util.List;

/**
 * One run recorded under {@code <snapshot>/_runs/<run-id>/}: its summary (written last, so null
 * when the run was interrupted) and the hosts whose file lists were written.
 *
 * @param unreadable why its summary exists and cannot be used (it names the key); null when it can
 */
public record RunRecord(String runId, RunSummary summary, List<String> hostFileLists, String unreadable) {

    public RunRecord {
        hostFileLists = List.copyOf(hostFileLists);
    }

    public RunRecord(String runId, RunSummary summary, List<String> hostFileLists) {
        this(runId, summary, hostFileLists, null);
    }

    public boolean complete() {
        return summary != null && summary.status() == RunStatus.COMPLETE;
    }

    /** Hosts the run was asked to back up and did not finish, as its summary says. */
    public List<String> failedHosts() {
        if (summary == null) {
            return List.of();
        }
        return summary.hosts().entrySet().stream()
                .filter(e -> e.getValue().status() != RunStatus.COMPLETE)
                .map(java.util.Map.Entry::getKey)
                .toList();
    }

    public int files() {
        return summary == null ? 0 : summary.hosts().values().stream().mapToInt(RunSummary.HostSummary::files).sum();
    }

    public long bytes() {
        return summary == null ? 0 : summary.hosts().values().stream().mapToLong(RunSummary.HostSummary::bytes).sum();
    }

    public long storedBytes() {
        return summary == null ? 0
                : summary.hosts().values().stream().mapToLong(RunSummary.HostSummary::storedBytes).sum();
    }
}
