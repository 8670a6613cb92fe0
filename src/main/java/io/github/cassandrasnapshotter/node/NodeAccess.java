package io.github.cassandrasnapshotter.node;

import io.github.cassandrasnapshotter.ssh.SshSettings;

import java.time.Duration;
import java.util.List;

/**
 * How the coordinator reaches the nodes and runs things there: SSH, sudo, where nodetool and
 * cassandra.yaml are, how the agent is started, and the time limits.
 *
 * @param agentCommand       how to start the agent on a node, without the {@code agent} word
 * @param nodeCommandTimeout bound on each nodetool command
 * @param agentTimeout       bound on one node's whole agent run
 */
public record NodeAccess(SshSettings ssh, boolean useSudo, String nodetoolPath, String cassandraConfPath,
                         List<String> agentCommand, Duration nodeCommandTimeout, Duration agentTimeout) {
    /** The host name that means this machine: its commands and agents run here, not over SSH. */
    public static final String LOCAL_HOST = "localhost";

    public NodeAccess {
        agentCommand = List.copyOf(agentCommand);
    }

    /** The agent's command line: {@code [sudo -n] <agent command> agent [extra...]}. */
    public List<String> agentArgv(String... extra) {
        List<String> argv = new java.util.ArrayList<>();
        if (useSudo) {
            argv.add("sudo");
            argv.add("-n");
        }
        argv.addAll(agentCommand);
        argv.add("agent");
        argv.addAll(List.of(extra));
        return argv;
    }
}
