package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;
import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import io.github.cassandrasnapshotter.ssh.SshClients;
import org.apache.sshd.client.SshClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a host's agent and returns its {@link HostResult}: in-process for local hosts, otherwise
 * the same jar started on the node over SSH, with the job on its stdin (credentials included,
 * never in argv) and one JSON event per line read back as it comes.
 */
public final class AgentLauncher implements AutoCloseable {
    private final SshClients sshClients;
    private final ProgressReporter progress;
    private final ObjectMapper json;
    private SshClient client;

    public AgentLauncher(SshClients sshClients, ProgressReporter progress, ObjectMapper json) {
        this.sshClients = sshClients;
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
        RemoteProcess.Result result = new RemoteProcess(client(), sshClients.settings())
                .run(host, ShellQuoting.join(argv), job, collector::acceptLine, request.agentTimeout());
        if (result.timedOut()) {
            collector.fail("the agent on " + host + " did not finish within " + request.agentTimeout().toMinutes()
                    + " min (--agent-timeout)");
        } else if (!collector.started()) {
            collector.fail(notStarted(host, result, request));
        } else if (!collector.finished()) {
            collector.fail("the agent on " + host + " ended early (exit status " + result.exitStatus() + ")"
                    + lastLine(result.stderrTail()));
        }
        return collector.result();
    }

    private static String notStarted(String host, RemoteProcess.Result result, BackupRequest request) {
        String hint = Integer.valueOf(127).equals(result.exitStatus())
                ? "; install cassandra-snapshotter on the node or set --agent-command (now '"
                + String.join(" ", request.agentCommand()) + "')" : "";
        return "the agent did not start on " + host + " (exit status " + result.exitStatus() + ")"
                + lastLine(result.stderrTail()) + hint;
    }

    private static String lastLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\n");
        return ": " + lines[lines.length - 1].strip();
    }

    private synchronized SshClient client() {
        if (client == null) {
            client = sshClients.startClient();
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
