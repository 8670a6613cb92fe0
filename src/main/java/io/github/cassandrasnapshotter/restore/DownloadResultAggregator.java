package io.github.cassandrasnapshotter.restore;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers the per-file results of a restore's split into one {@link RestoreOutcome}. A file whose
 * step threw is recorded as failed with the reason, never dropped.
 */
public final class DownloadResultAggregator implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange target = oldExchange == null ? newExchange : oldExchange;
        RestoreOutcome outcome = oldExchange == null
                ? new RestoreOutcome() : oldExchange.getMessage().getBody(RestoreOutcome.class);
        Exception failure = newExchange.getException();
        Object body = newExchange.getMessage().getBody();
        if (failure != null) {
            String file = body instanceof RestoreFile f ? f.key() : String.valueOf(body);
            outcome.failed(file + ": " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
        } else if (body instanceof DownloadResult result) {
            outcome.add(result);
        } else {
            outcome.failed("no result for " + body);
        }
        target.setException(null);
        target.getMessage().setBody(outcome);
        return target;
    }
}
