package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.node.NodeShell;
import io.github.cassandrasnapshotter.util.RecordingAggregator;
import io.github.cassandrasnapshotter.util.RootCause;
import org.apache.camel.Exchange;

import java.util.Optional;
import java.util.function.Function;

/**
 * Gathers the per-host results of the host split into one {@link BackupOutcome}. A host whose
 * route threw is recorded as failed with the reason, never dropped.
 */
public final class HostResultAggregator extends RecordingAggregator<BackupOutcome> {
    public static final String HOST_HEADER = NodeShell.HOST_HEADER;
    public static final String COMMAND_HEADER = NodeShell.COMMAND_HEADER;

    private final Function<String, Optional<String>> hostProblems;

    /** @param hostProblems a clearer reason for a host's failure when one is known (a refused host key) */
    public HostResultAggregator(Function<String, Optional<String>> hostProblems) {
        super(BackupOutcome.class, BackupOutcome::new);
        this.hostProblems = hostProblems;
    }

    @Override
    protected void record(BackupOutcome outcome, Exchange item) {
        outcome.add(resultOf(item));
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
