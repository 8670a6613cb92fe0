package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.restore.NodeRestorer;
import io.github.cassandrasnapshotter.restore.RestoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code agent}: the node side, started by the coordinator over SSH. Reads its job as JSON on
 * stdin (credentials stay off the command line) and writes one JSON event per line on stdout.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Node side of a backup (or, with --restore, of an in-place restore), started by the "
                + "coordinator over SSH: reads the job (JSON) on stdin, moves this node's files straight between "
                + "it and S3, and writes one JSON event per line on stdout. Not meant to be run by hand."})
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--restore", description = "The job is an in-place restore: download this node's files next to its tables.")
    boolean restore;

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (restore) {
            RestoreJob job;
            try {
                job = json.readValue(System.in, RestoreJob.class);
            } catch (IOException e) {
                write(stdout, json, AgentEvent.error("the agent could not read its job from stdin: " + e.getMessage()));
                return ExitCode.USAGE;
            }
            return NodeRestorer.run(job, event -> write(stdout, json, event)) == 0 ? ExitCode.OK : ExitCode.FAILED;
        }
        AgentJob job;
        try {
            job = json.readValue(System.in, AgentJob.class);
        } catch (IOException e) {
            write(stdout, json, AgentEvent.error("the agent could not read its job from stdin: " + e.getMessage()));
            return ExitCode.USAGE;
        }
        int failed = NodeAgent.run(job, event -> write(stdout, json, event));
        return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    private static void write(PrintStream out, ObjectMapper json, AgentEvent event) {
        try {
            String line = json.writeValueAsString(event);
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
