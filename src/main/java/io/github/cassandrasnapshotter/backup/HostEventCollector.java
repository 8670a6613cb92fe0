package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.FileResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Turns one host's agent events into its {@link HostResult}, reporting progress on the way. */
final class HostEventCollector implements AgentEvents {
    private static final Logger LOG = LoggerFactory.getLogger(HostEventCollector.class);

    private final String host;
    private final ProgressReporter progress;
    private final ObjectMapper json;
    private final List<FileResult> uploaded = new ArrayList<>();
    private final List<FileResult> failed = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int coveredLinks;
    private String error;
    private boolean started;
    private boolean done;
    private int filesDone;
    private long bytesDone;

    HostEventCollector(String host, ProgressReporter progress, ObjectMapper json) {
        this.host = host;
        this.progress = progress;
        this.json = json;
    }

    /** A line of the agent's stdout; anything that is not one of its events is logged and ignored. */
    @Override
    public void acceptLine(String line) {
        if (!line.startsWith("{")) {
            if (!line.isBlank()) {
                LOG.debug("{}: agent printed: {}", host, line);
            }
            return;
        }
        try {
            accept(json.readValue(line, AgentEvent.class));
        } catch (JsonProcessingException e) {
            LOG.debug("{}: unreadable agent line: {}", host, line);
        }
    }

    synchronized void accept(AgentEvent event) {
        switch (event.type()) {
            case START -> {
                started = true;
                Version.agentRefusal(event.version(), host).ifPresent(this::fail);
                if (event.message() != null) {
                    warnings.add(event.message());
                    progress.message("WARNING: " + event.message());
                }
                progress.started(host, event.filesTotal(), event.bytesTotal());
            }
            case FILE -> {
                FileResult file = event.file();
                if (file.stored()) {
                    uploaded.add(file);
                    bytesDone += file.size();
                } else if (file.ok()) {
                    coveredLinks += Boolean.TRUE.equals(file.linkRemoved()) ? 1 : 0;
                    if (file.linkError() != null) {
                        warnings.add(file.linkError());
                    }
                } else {
                    failed.add(file);
                }
                filesDone++;
                progress.progress(host, filesDone, bytesDone);
            }
            case PROGRESS -> progress.progress(host, event.filesDone(), event.bytesDone());
            case DONE -> done = true;
            case ERROR -> fail(event.message());
            default -> LOG.debug("{}: unknown agent event {}", host, event.type());
        }
    }

    @Override
    public synchronized void fail(String reason) {
        if (error == null) {
            error = reason;
        }
    }

    @Override
    public synchronized boolean finished() {
        return done;
    }

    @Override
    public synchronized boolean started() {
        return started;
    }

    synchronized HostResult result() {
        String hostError = error;
        if (hostError == null && !done) {
            hostError = "the agent on " + host + " stopped before reporting every file";
        }
        return new HostResult(host, uploaded, failed, coveredLinks, warnings, hostError);
    }
}
