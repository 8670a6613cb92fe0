package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.FileResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Turns one host's agent events into its {@link HostResult}, reporting progress on the way. */
final class HostEventCollector extends AgentEventCollector {
    private static final Logger LOG = LoggerFactory.getLogger(HostEventCollector.class);

    private final List<FileResult> uploaded = new ArrayList<>();
    private final List<FileResult> failed = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int coveredLinks;
    private int filesDone;
    private long bytesDone;

    HostEventCollector(String host, ProgressReporter progress, ObjectMapper json) {
        super(host, progress, json);
    }

    @Override
    protected void started(AgentEvent event) {
        if (event.message() != null) {
            warnings.add(event.message());
            progress.message("WARNING: " + event.message());
        }
        progress.started(host, event.filesTotal(), event.bytesTotal());
    }

    @Override
    protected void done(AgentEvent event) {
        // the per-file events already said everything
    }

    @Override
    protected void other(AgentEvent event) {
        switch (event.type()) {
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
            default -> LOG.debug("{}: unknown agent event {}", host, event.type());
        }
    }

    synchronized HostResult result() {
        return new HostResult(host, uploaded, failed, coveredLinks, warnings,
                error("the agent on " + host + " stopped before reporting every file"));
    }
}
