package io.github.cassandrasnapshotter.ssh;

import org.apache.sshd.client.SshClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a command line on a node with data on its stdin and its stdout read line by line as it
 * comes: over SSH (MINA SSHD, one client for the whole run) or, for {@code localhost}, with a local
 * {@code sh}. For the commands that camel-ssh cannot run: long ones, and those fed on stdin.
 */
public final class NodeProcesses implements AutoCloseable {
    private final SshClients sshClients;
    private final java.util.Set<Process> localProcesses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private SshClient client;
    private volatile boolean cancelled;

    public NodeProcesses(SshClients sshClients) {
        this.sshClients = sshClients;
    }

    /**
     * @param endSession over SSH: null to close the command's stdin once {@code stdin} is written; else (a node
     *                   agent, whose session ends at its stdin's EOF) stdin stays open while the command runs,
     *                   and the session is ended as soon as this says {@code true}. A local command's stdin is
     *                   always closed once written: agents for this machine run in-process, not here.
     */
    public RemoteProcess.Result run(String host, boolean local, String commandLine, byte[] stdin,
                                    java.util.function.BooleanSupplier endSession,
                                    Consumer<String> stdoutLines, Duration maxRunTime)
            throws IOException, InterruptedException {
        if (cancelled) {
            throw new IOException("not started: cassandra-snapshotter is shutting down");
        }
        if (local) {
            return runLocally(commandLine, stdin, stdoutLines, maxRunTime);
        }
        return new RemoteProcess(client(), sshClients.settings()).run(host, commandLine, stdin, endSession, stdoutLines,
                maxRunTime);
    }

    private RemoteProcess.Result runLocally(String commandLine, byte[] stdin, Consumer<String> stdoutLines,
                                            Duration maxRunTime) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("sh", "-c", commandLine)).start();
        localProcesses.add(process);
        try {
            return waitForLocal(process, stdin, stdoutLines, maxRunTime);
        } finally {
            localProcesses.remove(process);
        }
    }

    private static RemoteProcess.Result waitForLocal(Process process, byte[] stdin, Consumer<String> stdoutLines,
                                                     Duration maxRunTime) throws IOException, InterruptedException {
        RemoteProcess.TailBuffer stderr = new RemoteProcess.TailBuffer();
        RemoteProcess.LineSplitter stdout = new RemoteProcess.LineSplitter(stdoutLines);
        Thread errPump = pump(process.getErrorStream(), stderr);
        Thread outPump = pump(process.getInputStream(), stdout);
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException ignored) {
            // the command did not read its stdin: its exit status says the rest
        }
        boolean finished = process.waitFor(maxRunTime.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        outPump.join();
        errPump.join();
        stdout.finish();
        return new RemoteProcess.Result(finished ? process.exitValue() : null, stderr.text(), !finished);
    }

    private static Thread pump(InputStream from, OutputStream to) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the process ended
            }
        }, "local-process-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private synchronized SshClient client() {
        if (client == null) {
            client = sshClients.startClient();
        }
        return client;
    }

    /**
     * Stops every command running through here (the SSH client and its channels, local processes) and
     * refuses new ones: the process is shutting down and the runs must end now, with what they have.
     */
    public synchronized void cancel() {
        cancelled = true;
        localProcesses.forEach(Process::destroy);
        close();
    }

    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.stop();
            client = null;
        }
    }
}
