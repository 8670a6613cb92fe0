package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.restore.DownloadResult;
import io.github.cassandrasnapshotter.restore.HostRestore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns one node's in-place restore events into its {@link HostRestore}, reporting progress on the way. */
final class RestoreEventCollector implements AgentEvents {
    private final String host;
    private final ProgressReporter progress;
    private final ObjectMapper json;
    private final List<DownloadResult> results = new ArrayList<>();
    private Map<String, String> staged = Map.of();
    private String error;
    private boolean started;
    private boolean done;
    private long bytes;

    RestoreEventCollector(String host, ProgressReporter progress, ObjectMapper json) {
        this.host = host;
        this.progress = progress;
        this.json = json;
    }

    @Override
    public void acceptLine(String line) {
        if (line.startsWith("{")) {
            try {
                accept(json.readValue(line, AgentEvent.class));
            } catch (JsonProcessingException e) {
                // not one of the agent's events
            }
        }
    }

    synchronized void accept(AgentEvent event) {
        switch (event.type()) {
            case START -> {
                started = true;
                Version.agentRefusal(event.version(), host).ifPresent(this::fail);
                progress.started(host, event.filesTotal(), event.bytesTotal());
            }
            case RESTORED -> {
                results.add(event.restored());
                bytes += event.restored().bytes();
                progress.progress(host, results.size(), bytes);
            }
            case DONE -> {
                done = true;
                staged = event.staged() == null ? Map.of() : event.staged();
            }
            case ERROR -> fail(event.message());
            default -> { }
        }
    }

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

    synchronized HostRestore result() {
        String hostError = error != null || done ? error : "the agent on " + host + " stopped before every file";
        return new HostRestore(host, results, staged, hostError);
    }
}
