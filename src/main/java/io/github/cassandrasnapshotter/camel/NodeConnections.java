package io.github.cassandrasnapshotter.camel;

import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.ssh.SshSettings;

import java.time.Duration;

/**
 * How the routes reach the nodes: the SSH clients (agents over our MINA path, nodetool over
 * camel-ssh, both with the same host key checks and login), and the bound on each nodetool command.
 *
 * @param overSsh false when every host is {@code localhost}: camel-ssh is then not set up (it costs
 *                a local-only run a third of a second)
 */
public record NodeConnections(SshClients clients, NodeProcesses processes, SshSettings ssh,
                              Duration nodeCommandTimeout, boolean overSsh) {
}
