package io.github.cassandrasnapshotter.node;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A command run on this machine writes its output to temporary files only this user can read. */
class LocalShellTest {
    @Test
    void theCommandsOutputFilesAreMode0600() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            // stat of the command's own stdout and stderr: the temporary files, as the command sees them.
            exchange.getMessage().setBody(List.of("sh", "-c", "stat -L -c %a /proc/self/fd/1; stat -L -c %a /proc/self/fd/2 >&2"));
            new LocalShell(new NodeShell(Duration.ofSeconds(30))).run(exchange);
            assertEquals(0, exchange.getMessage().getHeader(NodeShell.EXIT_VALUE));
            assertEquals("600", exchange.getMessage().getBody(String.class).strip());
            assertEquals("600", exchange.getMessage().getHeader(NodeShell.STDERR, String.class).strip());
        }
    }
}
