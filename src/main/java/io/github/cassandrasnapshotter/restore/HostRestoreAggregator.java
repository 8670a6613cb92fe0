package io.github.cassandrasnapshotter.restore;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers the nodes of an in-place restore into one {@link RestoreOutcome}: every file's result, and
 * each node whose agent or import failed, with the reason. A node whose step threw is recorded, never dropped.
 */
public final class HostRestoreAggregator implements AggregationStrategy {
    public static final String HOST_HEADER = "snapshotterHost";

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange target = oldExchange == null ? newExchange : oldExchange;
        RestoreOutcome outcome = oldExchange == null
                ? new RestoreOutcome() : oldExchange.getMessage().getBody(RestoreOutcome.class);
        Exception failure = newExchange.getException();
        Object body = newExchange.getMessage().getBody();
        String host = newExchange.getMessage().getHeader(HOST_HEADER, String.class);
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
        target.setException(null);
        target.getMessage().setBody(outcome);
        return target;
    }
}
