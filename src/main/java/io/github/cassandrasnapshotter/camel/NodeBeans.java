package io.github.cassandrasnapshotter.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupAgents;
import io.github.cassandrasnapshotter.backup.SchemaDumper;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import io.github.cassandrasnapshotter.node.LocalShell;
import io.github.cassandrasnapshotter.node.NodeShell;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.restore.RestoreAgents;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/**
 * Running commands and agents on the nodes ({@code routes/node.camel.yaml}): nodetool over camel-ssh
 * (or here, for localhost), and the agents over SSH, a backup's and an in-place restore's.
 */
public final class NodeBeans implements CamelConfiguration {
    private final NodeConnections nodes;
    private final ProgressReporter progress;
    private final ObjectMapper json;
    private final NodeShell nodeShell;
    private final AgentLauncher agents;

    NodeBeans(NodeConnections nodes, ProgressReporter progress, ObjectMapper json) {
        this.nodes = nodes;
        this.progress = progress;
        this.json = json;
        this.nodeShell = new NodeShell(nodes.nodeCommandTimeout());
        this.agents = new AgentLauncher(nodes.processes());
    }

    @BindToRegistry("nodeShell")
    public NodeShell nodeShell() {
        return nodeShell;
    }

    @BindToRegistry("localShell")
    public LocalShell localShell() {
        return new LocalShell(nodeShell);
    }

    /** Every agent of the context: a stop (SIGTERM, the context stopping) cancels them ({@link #agents}). */
    @BindToRegistry("agentLauncher")
    public AgentLauncher agentLauncher() {
        return agents;
    }

    @BindToRegistry("backupAgents")
    public BackupAgents backupAgents() {
        return new BackupAgents(agents, progress, json);
    }

    @BindToRegistry("restoreAgents")
    public RestoreAgents restoreAgents() {
        return new RestoreAgents(agents, progress, json);
    }

    @BindToRegistry("schemaDumper")
    public SchemaDumper schemaDumper() {
        return new SchemaDumper(nodes.processes(), nodes.nodeCommandTimeout());
    }

    AgentLauncher agents() {
        return agents;
    }
}
