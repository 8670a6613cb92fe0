package io.github.cassandrasnapshotter.backup;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostResultAggregatorTest {
    private final CamelContext camel = new DefaultCamelContext();
    private final HostResultAggregator aggregator = new HostResultAggregator(host -> Optional.empty());

    private Exchange hostDone(String host) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(HostResultAggregator.HOST_HEADER, host);
        exchange.getMessage().setBody(new HostResult(host, List.of(), List.of(), null));
        return exchange;
    }

    private Exchange hostThrew(String host, String command, Exception failure) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(HostResultAggregator.HOST_HEADER, host);
        exchange.getMessage().setHeader(HostResultAggregator.COMMAND_HEADER, command);
        exchange.setException(failure);
        return exchange;
    }

    @Test
    void aHostWhoseRouteThrewIsRecordedWithItsCommandAndReasonNotDropped() {
        Exchange result = aggregator.aggregate(null, hostDone("10.0.0.1"));
        result = aggregator.aggregate(result, hostThrew("10.0.0.2", "nodetool snapshot",
                new RuntimeException("wrapper", new IllegalStateException("exit status 2: keyspace not found"))));
        result = aggregator.aggregate(result, hostDone("10.0.0.3"));

        assertNull(result.getException(), "the outcome says what failed; the split goes on to write it");
        BackupOutcome outcome = result.getMessage().getBody(BackupOutcome.class);
        assertEquals(3, outcome.hosts().size());
        HostResult failed = outcome.hosts().get(1);
        assertFalse(failed.ok());
        assertEquals("nodetool snapshot on 10.0.0.2: exit status 2: keyspace not found", failed.error());
        assertTrue(outcome.hosts().get(0).ok() && outcome.hosts().get(2).ok());
        assertFalse(outcome.allHostsSucceeded(List.of("10.0.0.1", "10.0.0.2", "10.0.0.3")));
    }

    @Test
    void theFirstItemFailingStillStartsTheOutcome() {
        Exchange result = aggregator.aggregate(null, hostThrew("10.0.0.1", null, new IllegalStateException("refused")));
        BackupOutcome outcome = result.getMessage().getBody(BackupOutcome.class);
        assertNull(result.getException());
        assertEquals(1, outcome.hosts().size());
        assertEquals("refused", outcome.hosts().get(0).error());
    }
}
