package io.github.cassandrasnapshotter.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs an agent started as root (with {@code --use-sudo}) again as the owner of the node's data
 * directories, with {@code setpriv} (util-linux): the same JVM, options and class path, started in
 * {@code /}. It gets the job on its stdin, and then whatever the coordinator sends on ours (the
 * heartbeats, and their end: EOF on ours is EOF on its, so it stops as it would have); what it writes on
 * stdout is passed on (a write that fails closes its stdout, so it stops as it would have); its stderr is
 * ours. Java cannot drop root itself, nor create a folder relative to an open one; the
 * owner, working as itself, cannot be led by a link it swapped in to a file it could not touch anyway.
 */
public final class DataOwnerSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(DataOwnerSwitch.class);

    /** setpriv where util-linux puts it, not wherever PATH says. */
    private static final String SETPRIV = java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv")
            .filter(p -> new File(p).canExecute()).findFirst().orElse("/usr/bin/setpriv");

    private DataOwnerSwitch() {
    }

    /**
     * How the agent run as the owner ended.
     *
     * @param spoke whether it wrote anything on stdout: one that did not never started (it could not read
     *              the JVM or the jar, say), and has sent no error of its own
     */
    public record Ended(int exitStatus, boolean spoke) {
    }

    /**
     * The command line that runs {@code mainClass agent <agentArgs>} as {@code owner}: its uid, the data
     * directories' group, and the owner's groups (none when the system has no name for it).
     */
    static List<String> argv(NodeUser owner, String mainClass, List<String> agentArgs) {
        List<String> argv = new ArrayList<>(List.of(SETPRIV, "--reuid=" + owner.uid(), "--regid=" + owner.gid(),
                owner.name().matches("[0-9]+") ? "--clear-groups" : "--init-groups", "--"));
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        argv.add("-cp");
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toString()); // it starts in /, not in our folder
        }
        argv.add(String.join(File.pathSeparator, classPath));
        argv.add(mainClass);
        argv.add("agent");
        argv.addAll(agentArgs);
        return argv;
    }

    /**
     * Runs the agent as {@code owner} and waits for it.
     *
     * @param jobLine the job as read from our stdin, without its newline
     * @param stdin   our stdin, after the job
     * @param stdout  our stdout, where its events go on
     * @throws IOException when it cannot be started (no setpriv on the node)
     */
    public static Ended run(NodeUser owner, String mainClass, List<String> agentArgs, byte[] jobLine, InputStream stdin,
                            OutputStream stdout) throws IOException, InterruptedException {
        LOG.info("started as root: working as {} (uid {}), the owner of the data directories", owner.name(), owner.uid());
        Process agent = new ProcessBuilder(argv(owner, mainClass, agentArgs)).directory(new File("/"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        OutputStream toAgent = agent.getOutputStream();
        try {
            toAgent.write(jobLine);
            toAgent.write('\n');
            toAgent.flush();
        } catch (IOException ended) {
            // It ended before it read its job: its exit status and stderr say why.
        }
        Thread in = relay(stdin, toAgent, toAgent, () -> { }, "agent-stdin-relay");
        java.util.concurrent.atomic.AtomicBoolean spoke = new java.util.concurrent.atomic.AtomicBoolean();
        // Closing its stdout when ours fails (the coordinator reads no more) makes its next write fail too.
        InputStream fromAgent = agent.getInputStream();
        Thread out = relay(fromAgent, stdout, fromAgent, () -> spoke.set(true), "agent-stdout-relay");
        int status = agent.waitFor();
        out.join();
        in.interrupt();
        return new Ended(status, spoke.get());
    }

    /**
     * Copies {@code from} to {@code to} as it comes, telling {@code onData} of each read, and closes
     * {@code closeAtEnd} at the end of {@code from} or on a failure of either.
     */
    private static Thread relay(InputStream from, OutputStream to, java.io.Closeable closeAtEnd, Runnable onData,
                                String name) {
        Thread relay = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (closeAtEnd) {
                int read;
                while ((read = from.read(buffer)) != -1) {
                    onData.run();
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException ended) {
                // One side is gone: what closeAtEnd closes tells the other.
            }
        }, name);
        relay.setDaemon(true);
        relay.start();
        return relay;
    }
}
