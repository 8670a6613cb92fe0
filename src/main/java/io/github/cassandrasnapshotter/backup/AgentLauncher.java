package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentStop;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.restore.HostRestore;
import io.github.cassandrasnapshotter.restore.NodeRestorer;
import io.github.cassandrasnapshotter.restore.RestoreJob;
import io.github.cassandrasnapshotter.restore.RestorePlan;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;
import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;

import java.io.IOException;
import java.util.List;

/**
 * Runs a host's agent and returns its {@link HostResult}: in-process for local hosts, otherwise
 * the same jar started on the node over SSH, with the job on its stdin (credentials included,
 * never in argv) and one JSON event per line read back as it comes.
 */
public final class AgentLauncher {
    private final NodeProcesses processes;
    private final java.util.Set<Thread> inProcessAgents = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<AgentStop> inProcessStops = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ProgressReporter progress;
    private final ObjectMapper json;

    public AgentLauncher(NodeProcesses processes, ProgressReporter progress, ObjectMapper json) {
        this.processes = processes;
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
            inProcessStops.add(stop);
            try {
                inProcess(collector, () -> NodeAgent.run(plan.jobFor(host), collector::accept, stop));
            } finally {
                inProcessStops.remove(stop);
            }
            return collector.result();
        }
        launch(host, plan.request().nodeAccess(), List.of(), json.writeValueAsBytes(plan.jobFor(host)), collector,
                plan.agentStop());
        return collector.result();
    }

    /** An in-place restore's download on one node, into staging folders next to its tables. */
    public HostRestore restore(String host, RestorePlan plan) throws IOException, InterruptedException {
        RestoreEventCollector collector = new RestoreEventCollector(host, progress, json);
        NodeAccess access = plan.request().inPlace();
        RestoreJob job = new RestoreJob(Version.CURRENT, host, plan.request().s3(),
                plan.files().stream().filter(f -> f.host().equals(host)).toList(), access.cassandraConfPath(),
                "restore-" + plan.snapshot(), plan.request().downloadThreads(),
                plan.request().connectionsPerFile());
        if (BackupRequest.LOCAL_HOST.equals(host)) {
            inProcess(collector, () -> NodeRestorer.run(job, collector::accept));
            return collector.result();
        }
        launch(host, access, List.of("--restore"), json.writeValueAsBytes(job), collector, AgentStop.never());
        return collector.result();
    }

    /** An agent's work for localhost, run on this thread: a stop interrupts it, and the host fails as stopped. */
    private void inProcess(AgentEvents collector, InProcessAgent agent) {
        inProcessAgents.add(Thread.currentThread());
        try {
            if (cancelled) {
                throw new InterruptedException("stopping");
            }
            agent.run();
        } catch (InterruptedException e) {
            collector.fail(STOPPED);
        } finally {
            inProcessAgents.remove(Thread.currentThread());
        }
    }

    private interface InProcessAgent {
        void run() throws InterruptedException;
    }

    /** Stops every agent this coordinator runs (SIGTERM): their hosts fail, and the routes clean up. */
    public void cancel() {
        cancelled = true;
        processes.cancel();
        inProcessStops.forEach(stop -> stop.request("cassandra-snapshotter was asked to stop (SIGTERM)"));
        inProcessAgents.forEach(Thread::interrupt);
    }

    private volatile boolean cancelled;

    private static final String STOPPED = "stopped: cassandra-snapshotter was asked to stop (SIGTERM) during the run";

    /**
     * The agent over SSH, its job on the first line of its stdin, which stays open until it ends: closing
     * the channel (a timeout, a stop, this process dying) is the agent's signal to stop.
     */
    private void launch(String host, NodeAccess access, List<String> extra, byte[] job, AgentEvents collector,
                        AgentStop stop) throws IOException, InterruptedException {
        byte[] jobLine = java.util.Arrays.copyOf(job, job.length + 1);
        jobLine[job.length] = '\n';
        RemoteProcess.Result result;
        try {
            result = processes.run(host, false,
                    ShellQuoting.join(access.agentArgv(extra.toArray(String[]::new))), jobLine, stop::requested,
                    collector::acceptLine, access.agentTimeout());
        } catch (IOException | RuntimeException e) {
            if (processes.cancelled()) {
                collector.fail(STOPPED);
                return;
            }
            throw e;
        }
        if (processes.cancelled() && !collector.finished()) {
            collector.fail(STOPPED);
        } else if (stop.requested() && !collector.finished()) {
            collector.fail("stopped: " + stop.reason());
        } else if (result.timedOut()) {
            collector.fail("the agent on " + host + " did not finish within " + access.agentTimeout().toMinutes()
                    + " min (--agent-timeout)");
        } else if (!collector.started()) {
            collector.fail(notStarted(host, result, access));
        } else if (!collector.finished()) {
            collector.fail("the agent on " + host + " ended early (exit status " + result.exitStatus() + ")"
                    + Messages.lastLine(result.stderrTail()));
        }
    }

    private static String notStarted(String host, RemoteProcess.Result result, NodeAccess access) {
        String hint = Integer.valueOf(127).equals(result.exitStatus())
                ? "; install cassandra-snapshotter on the node or set --agent-command (now '"
                + String.join(" ", access.agentCommand()) + "')" : "";
        return "the agent did not start on " + host + " (exit status " + result.exitStatus() + ")"
                + Messages.lastLine(result.stderrTail()) + hint;
    }
}
