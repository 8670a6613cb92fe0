package io.github.cassandrasnapshotter.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one agent's stdout, whatever its job: parses each event line, refuses an agent of another
 * version, and keeps whether it started, finished, or failed (the first reason). What the events
 * mean for a backup or a restore is the subclass's.
 */
public abstract class AgentEventCollector implements AgentEvents {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEventCollector.class);

    protected final String host;
    protected final ProgressReporter progress;
    private final ObjectMapper json;
    private String error;
    private boolean started;
    private boolean done;

    protected AgentEventCollector(String host, ProgressReporter progress, ObjectMapper json) {
        this.host = host;
        this.progress = progress;
        this.json = json;
    }

    /**
     * A line of the agent's stdout. Before its first event, lines that are not events are the node's
     * shell talking (a login script) and are logged; once it has started, the agent writes nothing but
     * events, so a line that is not one fails the host: a result may have been lost in it.
     */
    @Override
    public void acceptLine(String line) {
        if (line.isBlank()) {
            return;
        }
        AgentEvent event = null;
        if (line.startsWith("{")) {
            try {
                event = json.readValue(line, AgentEvent.class);
            } catch (JsonProcessingException e) {
                event = null;
            }
        }
        if (event != null) {
            accept(event);
        } else if (started()) {
            fail("the agent on " + host + " wrote a line that is not one of its events: "
                    + (line.length() > 200 ? line.substring(0, 200) + "..." : line));
        } else {
            LOG.debug("{}: printed before the agent started: {}", host, line);
        }
    }

    /** An event of the agent's, from a line of its stdout or from an agent run in-process. */
    public synchronized void accept(AgentEvent event) {
        switch (event.type()) {
            case START -> {
                started = true;
                Version.agentRefusal(event.version(), host).ifPresent(this::fail);
                started(event);
            }
            case DONE -> {
                done = true;
                done(event);
            }
            case ERROR -> fail(event.message());
            default -> other(event);
        }
    }

    /** The agent's first event: its totals (and a warning, if any). */
    protected abstract void started(AgentEvent event);

    /** The agent's last event. */
    protected abstract void done(AgentEvent event);

    /** A file's result or progress. */
    protected abstract void other(AgentEvent event);

    @Override
    public synchronized void fail(String reason) {
        if (error == null) {
            error = reason;
        }
    }

    @Override
    public synchronized boolean started() {
        return started;
    }

    @Override
    public synchronized boolean finished() {
        return done;
    }

    /** The failure reason; an agent that never said DONE failed too. */
    protected synchronized String error(String whenUnfinished) {
        return error != null || done ? error : whenUnfinished;
    }
}
