package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.util.RootCause;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.Optional;
import java.util.function.Function;

/**
 * Gathers the per-host results of the host split into one {@link BackupOutcome}. A host whose
 * route threw is recorded as failed with the reason, never dropped (a stock strategy would drop it
 * and the run would look successful).
 */
public final class HostResultAggregator implements AggregationStrategy {
    public static final String HOST_HEADER = "snapshotterHost";
    public static final String COMMAND_HEADER = "snapshotterCommand";

    private final Function<String, Optional<String>> hostProblems;

    /** @param hostProblems a clearer reason for a host's failure when one is known (a refused host key) */
    public HostResultAggregator(Function<String, Optional<String>> hostProblems) {
        this.hostProblems = hostProblems;
    }

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

    private HostResult resultOf(Exchange exchange) {
        String host = exchange.getMessage().getHeader(HOST_HEADER, String.class);
        if (host == null) {
            host = exchange.getMessage().getBody(String.class);
        }
        Exception failure = exchange.getException();
        if (failure != null) {
            String command = exchange.getMessage().getHeader(COMMAND_HEADER, String.class);
            String reason = hostProblems.apply(host).orElseGet(() -> describe(failure));
            return HostResult.hostFailed(host, reason.contains(host) || command == null
                    ? reason : command + " on " + host + ": " + reason);
        }
        HostResult result = exchange.getMessage().getBody(HostResult.class);
        return result != null ? result : HostResult.hostFailed(host, "no result from the host's route");
    }

    /** The innermost message: Camel's wrappers add the exchange, not the reason. */
    static String describe(Throwable failure) {
        Throwable cause = RootCause.of(failure);
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
