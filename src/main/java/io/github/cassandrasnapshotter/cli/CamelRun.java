package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.DefaultExchange;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One command as a camel-main process: our routes, beans and properties as {@link CamelSetup} makes
 * them, then one message sent to a {@code direct:} endpoint once Camel has started ({@link #send}),
 * or the routes run until the process is stopped ({@link #runUntilStopped}). The work runs from
 * {@code afterStart} with {@code completed()} in a finally, so camel-main stops cleanly whatever
 * happens (docs/camel-notes.md, "camel-main").
 */
final class CamelRun {
    private final CamelSetup setup;
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Object> headers = new LinkedHashMap<>();
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    /**
     * What to do when the process is asked to stop (SIGTERM) during the work: stop the running agents
     * so that the routes finish now, with their cleanup (clear snapshots, no manifest, release the lock).
     * The stop then waits for the routes to end, so that the JVM does not exit in the middle of it.
     */
    private final Runnable onStop;

    CamelRun(CamelSetup setup) {
        this.setup = setup;
        AgentLauncher agents = setup.agents();
        this.onStop = agents == null ? null : agents::cancel;
    }

    /** A bean of the command's own, beside the setup's ({@code scheduledBackups}). */
    CamelRun bind(String name, Object bean) {
        beans.put(name, bean);
        return this;
    }

    /** A camel-main or {@code snapshotter.*} property of the command's own; it overrides {@code application.properties}. */
    CamelRun property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    CamelRun header(String name, Object value) {
        headers.put(name, value);
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
        main.addOverrideProperty("camel.main.routes-include-pattern", setup.routesIncludePattern());
        setup.properties().forEach(main::addOverrideProperty);
        properties.forEach(main::addOverrideProperty);
        setup.configurations().forEach(main.configure()::addConfiguration);
        beans.forEach(main::bind);
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
