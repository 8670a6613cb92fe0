package io.github.cassandrasnapshotter.util;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import java.util.function.Supplier;

/**
 * Gathers a split's items into one outcome object that records each item's result or failure. A
 * stock strategy keeps the last body and drops an item whose step threw, so a run would look
 * successful; here every item, failed or not, is handed to {@link #record}, and the split's
 * exchange carries no exception: the outcome says what failed.
 *
 * @param <O> the outcome, the split's resulting body
 */
public abstract class RecordingAggregator<O> implements AggregationStrategy {
    private final Class<O> outcomeType;
    private final Supplier<O> emptyOutcome;

    protected RecordingAggregator(Class<O> outcomeType, Supplier<O> emptyOutcome) {
        this.outcomeType = outcomeType;
        this.emptyOutcome = emptyOutcome;
    }

    @Override
    public final Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange target = oldExchange == null ? newExchange : oldExchange;
        O outcome = oldExchange == null ? emptyOutcome.get() : oldExchange.getMessage().getBody(outcomeType);
        record(outcome, newExchange);
        target.setException(null);
        target.getMessage().setBody(outcome);
        return target;
    }

    /** Adds one item to the outcome: its result, or its failure ({@code item.getException()}) with the reason. */
    protected abstract void record(O outcome, Exchange item);
}
