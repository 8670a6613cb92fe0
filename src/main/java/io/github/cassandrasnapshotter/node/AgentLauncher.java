package io.github.cassandrasnapshotter.node;

import io.github.cassandrasnapshotter.agent.AgentStop;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;
import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;

import java.io.IOException;
import java.util.List;

/**
 * Runs a host's agent, whatever its job, and feeds its events to the caller's collector: in-process
 * for local hosts, otherwise the same jar started on the node over SSH, with the job on its stdin
 * (credentials included, never in argv) and one JSON event per line read back as it comes. What the
 * job is and what its events make is the caller's (backup's {@code BackupAgents}, restore's
 * {@code RestoreAgents}).
 */
public final class AgentLauncher {
    private final NodeProcesses processes;
    private final java.util.Set<Thread> inProcessAgents = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<AgentStop> inProcessStops = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public AgentLauncher(NodeProcesses processes) {
        this.processes = processes;
    }

    /**
     * An agent's work for localhost, run on this thread, that a stop of this launcher ({@link #cancel})
     * also asks to stop through {@code stop}: a stop interrupts it, and the host fails as stopped.
     */
    public void inProcess(AgentEvents collector, AgentStop stop, InProcessAgent agent) {
        inProcessStops.add(stop);
        try {
            inProcess(collector, agent);
        } finally {
            inProcessStops.remove(stop);
        }
    }

    /** An agent's work for localhost, run on this thread: a stop interrupts it, and the host fails as stopped. */
    public void inProcess(AgentEvents collector, InProcessAgent agent) {
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

    /** The work of an agent run in-process. */
    public interface InProcessAgent {
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
     *
     * @param extra the agent's arguments after {@code agent} (for example {@code --restore})
     * @param job   the job, as JSON, without its line end
     * @param stop  a stop that, once requested, ends the session (the host then fails as stopped)
     */
    public void launch(String host, NodeAccess access, List<String> extra, byte[] job, AgentEvents collector,
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
