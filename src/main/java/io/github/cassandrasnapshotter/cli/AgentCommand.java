package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.agent.AgentSession;
import io.github.cassandrasnapshotter.agent.CassandraYaml;
import io.github.cassandrasnapshotter.agent.DataOwnerSwitch;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.agent.NodeUser;
import io.github.cassandrasnapshotter.restore.NodeRestorer;
import io.github.cassandrasnapshotter.restore.RestoreJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code agent}: the node side, started by the coordinator over SSH. Reads its job as one JSON line on
 * stdin (credentials stay off the command line), writes one JSON event per line on stdout, and lives
 * no longer than its session: stdin reaching EOF or a failed write to stdout stops it ({@link AgentSession}).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Node side of a backup (or, with --restore, of an in-place restore), started by the "
                + "coordinator over SSH: reads the job (one JSON line) on stdin, moves this node's files straight "
                + "between it and S3, and writes one JSON event per line on stdout. It stops by itself when its "
                + "stdin is closed (the coordinator or its connection is gone). Not meant to be run by hand."})
public final class AgentCommand implements Callable<Integer> {

    @Option(names = "--restore", description = "The job is an in-place restore: download this node's files next to its tables.")
    boolean restore;

    @Override
    public Integer call() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AgentSession session = AgentSession.overStandardStreams(json);
        byte[] jobLine;
        try {
            jobLine = session.readJob();
        } catch (IOException e) {
            session.send(AgentEvent.error("the agent could not read its job from stdin: " + e.getMessage()));
            return ExitCode.USAGE;
        }
        if (restore) {
            RestoreJob job;
            try {
                job = json.readValue(jobLine, RestoreJob.class);
            } catch (IOException e) {
                session.send(AgentEvent.error("the agent could not read its job from stdin: " + e.getMessage()));
                return ExitCode.USAGE;
            }
            java.util.Optional<Integer> switched = asDataOwner(json, job.cassandraConfPath(), jobLine, session);
            if (switched.isPresent()) {
                return switched.get();
            }
            session.watch(Thread.currentThread()); // nothing irreversible on the node: interrupt the downloads
            return NodeRestorer.run(job, session::send) == 0 ? ExitCode.OK : ExitCode.FAILED;
        }
        AgentJob job;
        try {
            job = json.readValue(jobLine, AgentJob.class);
        } catch (IOException e) {
            session.send(AgentEvent.error("the agent could not read its job from stdin: " + e.getMessage()));
            return ExitCode.USAGE;
        }
        java.util.Optional<Integer> switched = asDataOwner(json, job.cassandraConfPath(), jobLine, session);
        if (switched.isPresent()) {
            return switched.get();
        }
        session.watch(null); // the backup looks at the stop itself: it ends its uploads and stores its file list
        int failed = NodeAgent.run(job, session::send, session.stop());
        return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
    }

    /**
     * Started as root on a node whose data directories belong to another user (the one Cassandra runs
     * as): the job is run again as that user, and its exit status returned; empty when this process does
     * the job itself.
     */
    private java.util.Optional<Integer> asDataOwner(ObjectMapper json, String cassandraConfPath, byte[] jobLine,
                                                    AgentSession session)
            throws InterruptedException {
        java.util.Optional<NodeUser> owner;
        try {
            owner = NodeUser.switchFor(CassandraYaml.dataDirectories(Path.of(cassandraConfPath)));
        } catch (IOException | RuntimeException e) {
            // The job reports a cassandra.yaml it cannot read, and refuses folders that no one user can work in.
            return java.util.Optional.empty();
        }
        if (owner.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            // It starts in /: a folder relative to ours (--cassandra-conf-path conf) is made absolute.
            ObjectNode tree = (ObjectNode) json.readTree(jobLine);
            tree.put("cassandraConfPath", Path.of(cassandraConfPath).toAbsolutePath().toString());
            DataOwnerSwitch.Ended ended = DataOwnerSwitch.run(owner.get(), CassandraSnapshotter.class.getName(),
                    restore ? List.of("--restore") : List.of(), json.writeValueAsBytes(tree), System.in,
                    new FileOutputStream(FileDescriptor.out));
            if (!ended.spoke()) {
                session.send(AgentEvent.error("the agent, run again as " + owner.get().name() + " (the owner of the "
                        + "data directories), ended before it started (exit status " + ended.exitStatus() + "): "
                        + owner.get().name() + " must be able to read " + System.getProperty("java.home")
                        + " and " + System.getProperty("java.class.path")));
                return java.util.Optional.of(ExitCode.FAILED);
            }
            return java.util.Optional.of(ended.exitStatus());
        } catch (IOException e) {
            session.send(AgentEvent.error("the agent cannot work as " + owner.get().name() + ", the owner of the data "
                    + "directories, and does not work as root in them: " + e.getMessage()
                    + " (setpriv, from util-linux, is needed on the node)"));
            return java.util.Optional.of(ExitCode.FAILED);
        }
    }
}
