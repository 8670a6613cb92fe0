package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.embed.RouteBeans;
import io.github.cassandrasnapshotter.embed.SnapshotterRequests;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.DefaultExchange;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One command as a one-shot camel-main process: our routes and properties, the beans the routes
 * use, one message sent to a {@code direct:} endpoint once Camel has started. The work runs from
 * {@code afterStart} with {@code completed()} in a finally, so camel-main stops cleanly whatever
 * happens (docs/camel-notes.md, "camel-main").
 */
final class CamelRun {
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Object> headers = new LinkedHashMap<>();
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    private Runnable onStop;
    private Consumer<CamelContext> configure = context -> { };

    /** Loads only these route files of ours ({@code backup}, {@code node}, {@code list}): a command binds only its beans. */
    CamelRun routes(String... names) {
        StringBuilder pattern = new StringBuilder("classpath:cassandra-snapshotter/routes/errors.camel.yaml");
        for (String name : names) {
            pattern.append(",").append("classpath:cassandra-snapshotter/routes/").append(name).append(".camel.yaml");
        }
        return property("camel.main.routes-include-pattern", pattern.toString());
    }

    CamelRun bind(String name, Object bean) {
        beans.put(name, bean);
        return this;
    }

    CamelRun bindAll(RouteBeans routeBeans) {
        beans.putAll(routeBeans.beans());
        return this;
    }

    CamelRun property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    /**
     * What to do when the process is asked to stop (SIGTERM) during the work: stop the running agents
     * so that the routes finish now, with their cleanup (clear snapshots, no manifest, release the lock).
     * The stop then waits for the routes to end, so that the JVM does not exit in the middle of it.
     */
    CamelRun onStop(Runnable cancel) {
        this.onStop = cancel;
        return this;
    }

    CamelRun header(String name, Object value) {
        headers.put(name, value);
        return this;
    }

    /** Runs after Camel is configured and before routes start (component settings). */
    CamelRun configure(Consumer<CamelContext> configure) {
        this.configure = configure;
        return this;
    }

    /**
     * Runs the routes until the process is asked to stop (SIGTERM, Ctrl-C): the long-running mode,
     * where quartz routes start the work.
     */
    void runUntilStopped() throws Exception {
        Main main = main();
        try {
            supervised(main);
        } finally {
            done();
        }
    }

    /** The caller has reported the result: a stop (SIGTERM) waiting for it may let the JVM exit. */
    void done() {
        finished.countDown();
    }

    private void supervised(Main main) throws Exception {
        Thread hook = onStop == null ? null : new Thread(() -> {
            onStop.run();
            try {
                finished.await(STOP_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "snapshotter-stop");
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            main.run();
        } finally {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits until done()
                }
            }
        }
    }

    /** The longest a stop waits for the routes' cleanup: more than camel-main's shutdown timeout. */
    private static final long STOP_WAIT_SECONDS = 90;

    private Main main() {
        Main main = new Main();
        main.setPropertyPlaceholderLocations("classpath:cassandra-snapshotter/application.properties");
        properties.forEach(main::addOverrideProperty);
        // Every message the command line sends carries its request as the body.
        main.bind("snapshotterRequests", SnapshotterRequests.bodyOnly());
        beans.forEach(main::bind);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport mainSupport) {
                configure.accept(mainSupport.getCamelContext());
            }
        });
        return main;
    }

    /** Sends {@code body} to {@code endpoint}; the returned exchange holds the result or the exception. */
    Exchange send(String endpoint, Object body) throws Exception {
        Main main = main();
        Exchange[] result = new Exchange[1];
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport mainSupport) {
                CamelContext context = mainSupport.getCamelContext();
                Exchange exchange = new DefaultExchange(context);
                try (ProducerTemplate template = context.createProducerTemplate()) {
                    exchange.getMessage().setBody(body);
                    headers.forEach(exchange.getMessage()::setHeader);
                    result[0] = template.send(endpoint, exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                    result[0] = exchange;
                } finally {
                    main.completed();
                }
            }
        });
        supervised(main);
        if (result[0] == null) {
            throw new IllegalStateException("Camel stopped before " + endpoint + " ran");
        }
        return result[0];
    }
}
