package io.github.cassandrasnapshotter.backup;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Gathers the per-host results of the host split into one {@link BackupOutcome}. A host whose
 * route threw is recorded as failed with the reason, never dropped (a stock strategy would drop it
 * and the run would look successful).
 */
public final class HostResultAggregator implements AggregationStrategy {
    public static final String HOST_HEADER = "snapshotterHost";

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange target = oldExchange == null ? newExchange : oldExchange;
        BackupOutcome outcome = oldExchange == null
                ? new BackupOutcome() : oldExchange.getMessage().getBody(BackupOutcome.class);
        outcome.add(resultOf(newExchange));
        target.setException(null);
        target.getMessage().setBody(outcome);
        return target;
    }

    private static HostResult resultOf(Exchange exchange) {
        String host = exchange.getMessage().getHeader(HOST_HEADER, String.class);
        if (host == null) {
            host = exchange.getMessage().getBody(String.class);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            return HostResult.hostFailed(host, describe(failure));
        }
        HostResult result = exchange.getMessage().getBody(HostResult.class);
        return result != null ? result : HostResult.hostFailed(host, "no result from the host's route");
    }

    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && (cause.getMessage() == null
                || cause instanceof org.apache.camel.CamelExecutionException)) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
