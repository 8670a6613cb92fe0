package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.agent.RestoreFile;
import io.github.cassandrasnapshotter.util.RecordingAggregator;
import org.apache.camel.Exchange;

/**
 * Gathers the per-file results of a restore's split into one {@link RestoreOutcome}. A file whose
 * step threw is recorded as failed with the reason, never dropped.
 */
public final class DownloadResultAggregator extends RecordingAggregator<RestoreOutcome> {

    public DownloadResultAggregator() {
        super(RestoreOutcome.class, RestoreOutcome::new);
    }

    @Override
    protected void record(RestoreOutcome outcome, Exchange item) {
        Exception failure = item.getException();
        Object body = item.getMessage().getBody();
        if (failure != null) {
            String file = body instanceof RestoreFile f ? f.key() : String.valueOf(body);
            outcome.failed(file + ": " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
        } else if (body instanceof DownloadResult result) {
            outcome.add(result);
        } else {
            outcome.failed("no result for " + body);
        }
    }
}
