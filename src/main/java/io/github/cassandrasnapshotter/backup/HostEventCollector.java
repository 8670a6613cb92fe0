package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.node.AgentEventCollector;
import io.github.cassandrasnapshotter.node.ProgressReporter;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one host's agent events into its {@link HostResult}, reporting progress on the way. The
 * agent's last event states its counts; a host whose counts disagree with the per-file results that
 * arrived here failed, whatever the agent thought.
 */
final class HostEventCollector extends AgentEventCollector {
    private final List<FileResult> uploaded = new ArrayList<>();
    private final List<FileResult> failed = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> linkErrors = new ArrayList<>();
    private int linksRemoved;
    private int coveredLinks;
    private int filesTotal = -1;
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
        filesTotal = event.filesTotal() == null ? -1 : event.filesTotal();
        progress.started(host, event.filesTotal(), event.bytesTotal());
    }

    @Override
    protected void done(AgentEvent event) {
        linksRemoved = event.linksRemoved() == null ? 0 : event.linksRemoved();
        coveredLinks = event.coveredLinks() == null ? 0 : event.coveredLinks();
        if (event.linkErrors() != null) {
            linkErrors.addAll(event.linkErrors());
        }
        int said = event.filesDone() == null ? -1 : event.filesDone();
        int saidFailed = event.filesFailed() == null ? -1 : event.filesFailed();
        if (said != filesDone || saidFailed != failed.size() || (filesTotal >= 0 && said != filesTotal)) {
            fail("the agent on " + host + " reported " + said + " of " + filesTotal + " files done (" + saidFailed
                    + " failed), but " + filesDone + " results (" + failed.size() + " failed) reached the coordinator");
        }
        if (event.fileList() == null && error(null) == null) {
            fail("the agent on " + host + " did not store its file list: no backups/ link was removed");
        }
    }

    @Override
    protected void other(AgentEvent event) {
        switch (event.type()) {
            case FILE -> {
                FileResult file = event.file();
                if (file.stored()) {
                    uploaded.add(file);
                    bytesDone += file.size();
                } else if (!file.ok()) {
                    failed.add(file);
                }
                filesDone++;
                progress.progress(host, filesDone, bytesDone);
            }
            case PROGRESS -> progress.progress(host, event.filesDone(), event.bytesDone());
            default -> fail("the agent on " + host + " sent an event a backup does not have: " + event.type());
        }
    }

    synchronized HostResult result() {
        return new HostResult(host, uploaded, failed, linksRemoved, coveredLinks, linkErrors, warnings,
                error("the agent on " + host + " stopped before reporting every file"));
    }
}
