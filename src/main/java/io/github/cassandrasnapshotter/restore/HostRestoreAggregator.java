package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.util.RecordingAggregator;
import org.apache.camel.Exchange;

/**
 * Gathers the nodes of an in-place restore into one {@link RestoreOutcome}: every file's result, and
 * each node whose agent or import failed, with the reason. A node whose step threw is recorded, never dropped.
 */
public final class HostRestoreAggregator extends RecordingAggregator<RestoreOutcome> {
    public static final String HOST_HEADER = "snapshotterHost";

    public HostRestoreAggregator() {
        super(RestoreOutcome.class, RestoreOutcome::new);
    }

    @Override
    protected void record(RestoreOutcome outcome, Exchange item) {
        Exception failure = item.getException();
        Object body = item.getMessage().getBody();
        String host = item.getMessage().getHeader(HOST_HEADER, String.class);
        if (failure != null) {
            outcome.failed(host + ": " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
        } else if (body instanceof HostRestore restore) {
            restore.results().forEach(outcome::add);
            if (restore.error() != null) {
                outcome.failed(restore.error());
            } else if (!restore.readyToImport()) {
                outcome.failed(host + ": not imported, some files failed; run the restore again to fetch only those");
            }
            outcome.imported(host, restore.importedTables());
        } else {
            outcome.failed(host + ": no result");
        }
    }
}
