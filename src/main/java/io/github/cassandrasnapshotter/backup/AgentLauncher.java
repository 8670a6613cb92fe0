package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;
import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a host's agent and returns its {@link HostResult}: in-process for local hosts, otherwise
 * the same jar started on the node over SSH, with the job on its stdin (credentials included,
 * never in argv) and one JSON event per line read back as it comes.
 */
public final class AgentLauncher {
    private final NodeProcesses processes;
    private final ProgressReporter progress;
    private final ObjectMapper json;

    public AgentLauncher(NodeProcesses processes, ProgressReporter progress, ObjectMapper json) {
        this.processes = processes;
        this.progress = progress;
        this.json = json;
    }

    public HostResult run(String host, BackupPlan plan) throws IOException, InterruptedException {
        HostEventCollector collector = new HostEventCollector(host, progress, json);
        if (plan.isLocal(host)) {
            NodeAgent.run(plan.jobFor(host), collector::accept);
            return collector.result();
        }
        BackupRequest request = plan.request();
        List<String> argv = new ArrayList<>();
        if (request.useSudo()) {
            argv.add("sudo");
            argv.add("-n");
        }
        argv.addAll(request.agentCommand());
        argv.add("agent");
        byte[] job = json.writeValueAsBytes(plan.jobFor(host));
        RemoteProcess.Result result = processes.run(host, false, ShellQuoting.join(argv), job, collector::acceptLine,
                request.agentTimeout());
        if (result.timedOut()) {
            collector.fail("the agent on " + host + " did not finish within " + request.agentTimeout().toMinutes()
                    + " min (--agent-timeout)");
        } else if (!collector.started()) {
            collector.fail(notStarted(host, result, request));
        } else if (!collector.finished()) {
            collector.fail("the agent on " + host + " ended early (exit status " + result.exitStatus() + ")"
                    + Messages.lastLine(result.stderrTail()));
        }
        return collector.result();
    }

    private static String notStarted(String host, RemoteProcess.Result result, BackupRequest request) {
        String hint = Integer.valueOf(127).equals(result.exitStatus())
                ? "; install cassandra-snapshotter on the node or set --agent-command (now '"
                + String.join(" ", request.agentCommand()) + "')" : "";
        return "the agent did not start on " + host + " (exit status " + result.exitStatus() + ")"
                + Messages.lastLine(result.stderrTail()) + hint;
    }
}
