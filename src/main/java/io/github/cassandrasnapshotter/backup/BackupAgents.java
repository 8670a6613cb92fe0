package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.AgentStop;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import io.github.cassandrasnapshotter.node.ProgressReporter;

import java.io.IOException;
import java.util.List;

/**
 * Runs a host's backup agent and returns its {@link HostResult}: in-process for local hosts, otherwise
 * over SSH ({@link AgentLauncher}), its events read by a {@link HostEventCollector}.
 */
public final class BackupAgents {
    private final AgentLauncher launcher;
    private final ProgressReporter progress;
    private final ObjectMapper json;

    public BackupAgents(AgentLauncher launcher, ProgressReporter progress, ObjectMapper json) {
        this.launcher = launcher;
        this.progress = progress;
        this.json = json;
    }

    public HostResult run(String host, BackupPlan plan) throws IOException, InterruptedException {
        HostEventCollector collector = new HostEventCollector(host, progress, json);
        if (plan.agentStop().requested()) {
            collector.fail("not started: " + plan.agentStop().reason());
            return collector.result();
        }
        if (plan.isLocal(host)) {
            AgentStop stop = plan.agentStop();
            launcher.inProcess(collector, stop, () -> NodeAgent.run(plan.jobFor(host), collector::accept, stop));
            return collector.result();
        }
        launcher.launch(host, plan.request().nodes(), List.of(), json.writeValueAsBytes(plan.jobFor(host)),
                collector, plan.agentStop());
        return collector.result();
    }
}
