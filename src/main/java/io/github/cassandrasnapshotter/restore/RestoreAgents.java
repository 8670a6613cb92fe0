package io.github.cassandrasnapshotter.restore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentStop;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.node.ProgressReporter;

import java.io.IOException;
import java.util.List;

/**
 * Runs an in-place restore's download on one node and returns its {@link HostRestore}: in-process for
 * localhost, otherwise the agent over SSH with {@code --restore} ({@link AgentLauncher}), its events
 * read by a {@link RestoreEventCollector}.
 */
public final class RestoreAgents {
    private final AgentLauncher launcher;
    private final ProgressReporter progress;
    private final ObjectMapper json;

    public RestoreAgents(AgentLauncher launcher, ProgressReporter progress, ObjectMapper json) {
        this.launcher = launcher;
        this.progress = progress;
        this.json = json;
    }

    /** An in-place restore's download on one node, into staging folders next to its tables. */
    public HostRestore restore(String host, RestorePlan plan) throws IOException, InterruptedException {
        RestoreEventCollector collector = new RestoreEventCollector(host, progress, json);
        NodeAccess access = plan.request().inPlace();
        RestoreJob job = new RestoreJob(Version.CURRENT, host, plan.request().s3(),
                plan.files().stream().filter(f -> f.host().equals(host)).toList(), access.cassandraConfPath(),
                "restore-" + plan.snapshot(), plan.request().downloadThreads(),
                plan.request().connectionsPerFile());
        if (NodeAccess.LOCAL_HOST.equals(host)) {
            launcher.inProcess(collector, () -> NodeRestorer.run(job, collector::accept));
            return collector.result();
        }
        launcher.launch(host, access, List.of("--restore"), json.writeValueAsBytes(job), collector,
                AgentStop.never());
        return collector.result();
    }
}
