package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.node.AgentEventCollector;
import io.github.cassandrasnapshotter.node.ProgressReporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns one node's in-place restore events into its {@link HostRestore}, reporting progress on the way. */
final class RestoreEventCollector extends AgentEventCollector {
    private final List<DownloadResult> results = new ArrayList<>();
    private Map<String, String> staged = Map.of();
    private long bytes;

    RestoreEventCollector(String host, ProgressReporter progress, ObjectMapper json) {
        super(host, progress, json);
    }

    @Override
    protected void started(AgentEvent event) {
        progress.started(host, event.filesTotal(), event.bytesTotal());
    }

    @Override
    protected void done(AgentEvent event) {
        staged = event.staged() == null ? Map.of() : event.staged();
        long failed = results.stream().filter(r -> !r.ok()).count();
        if (event.filesDone() == null || event.filesDone() != results.size() || event.filesFailed() == null
                || event.filesFailed() != failed) {
            fail("the agent on " + host + " reported " + event.filesDone() + " files (" + event.filesFailed()
                    + " failed), but " + results.size() + " results (" + failed + " failed) reached the coordinator");
        }
    }

    @Override
    protected void other(AgentEvent event) {
        if (event.type() == AgentEvent.Type.RESTORED) {
            results.add(event.restored());
            bytes += event.restored().bytes();
            progress.progress(host, results.size(), bytes);
        } else if (event.type() != AgentEvent.Type.PROGRESS) {
            fail("the agent on " + host + " sent an event a restore does not have: " + event.type());
        }
    }

    synchronized HostRestore result() {
        return new HostRestore(host, results, staged, error("the agent on " + host + " stopped before every file"));
    }
}
