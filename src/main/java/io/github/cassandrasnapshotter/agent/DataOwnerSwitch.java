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
 * heartbeats, and their end: EOF on ours is EOF on its, so it stops as it would have); its stdout and
 * stderr are ours. Java cannot drop root itself, nor create a folder relative to an open one; the
 * owner, working as itself, cannot be led by a link it swapped in to a file it could not touch anyway.
 */
public final class DataOwnerSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(DataOwnerSwitch.class);

    private DataOwnerSwitch() {
    }

    /**
     * The command line that runs {@code mainClass agent <agentArgs>} as {@code owner}: its uid, the data
     * directories' group, and the owner's groups (none when the system has no name for it).
     */
    static List<String> argv(NodeUser owner, String mainClass, List<String> agentArgs) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + owner.uid(), "--regid=" + owner.gid(),
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
     * Runs the agent as {@code owner} and waits for it; returns its exit status.
     *
     * @param jobLine the job as read from our stdin, without its newline
     * @param stdin   our stdin, after the job
     * @throws IOException when it cannot be started (no setpriv on the node)
     */
    public static int run(NodeUser owner, String mainClass, List<String> agentArgs, byte[] jobLine, InputStream stdin)
            throws IOException, InterruptedException {
        LOG.info("started as root: working as {} (uid {}), the owner of the data directories", owner.name(), owner.uid());
        Process agent = new ProcessBuilder(argv(owner, mainClass, agentArgs)).directory(new File("/"))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        OutputStream toAgent = agent.getOutputStream();
        try {
            toAgent.write(jobLine);
            toAgent.write('\n');
            toAgent.flush();
        } catch (IOException ended) {
            // It ended before it read its job: its exit status and stderr say why.
        }
        Thread relay = new Thread(() -> {
            byte[] buffer = new byte[256];
            try (toAgent) {
                int read;
                while ((read = stdin.read(buffer)) != -1) {
                    toAgent.write(buffer, 0, read);
                    toAgent.flush();
                }
            } catch (IOException ended) {
                // Our stdin failed or the agent ended: either way its stdin is closed now, as ours is.
            }
        }, "agent-stdin-relay");
        relay.setDaemon(true);
        relay.start();
        return agent.waitFor();
    }
}
