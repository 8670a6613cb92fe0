package io.github.cassandrasnapshotter.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupAgents;
import io.github.cassandrasnapshotter.backup.BackupPlanner;
import io.github.cassandrasnapshotter.backup.FencedWrites;
import io.github.cassandrasnapshotter.backup.HostResultAggregator;
import io.github.cassandrasnapshotter.backup.RunLocks;
import io.github.cassandrasnapshotter.backup.RunMetadata;
import io.github.cassandrasnapshotter.backup.RunMetrics;
import io.github.cassandrasnapshotter.backup.SchemaDumper;
import io.github.cassandrasnapshotter.catalog.BackupLister;
import io.github.cassandrasnapshotter.catalog.CatalogIndex;
import io.github.cassandrasnapshotter.catalog.StatusReader;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import io.github.cassandrasnapshotter.node.LocalShell;
import io.github.cassandrasnapshotter.node.NodeShell;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.restore.DownloadResultAggregator;
import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.restore.HostRestoreAggregator;
import io.github.cassandrasnapshotter.restore.InPlaceImport;
import io.github.cassandrasnapshotter.restore.ObjectChecker;
import io.github.cassandrasnapshotter.restore.RestoreAgents;
import io.github.cassandrasnapshotter.restore.RestorePlanner;
import io.github.cassandrasnapshotter.restore.SstableLoader;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.MetadataObjects;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The beans our routes refer to, by the names the route files use, in groups: the command line binds
 * the groups its routes need, an embedding application binds them all.
 */
public final class RouteBeans {
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final S3Client s3;
    private final ObjectMapper json;
    private AgentLauncher agents;

    public RouteBeans(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
        beans.put("snapshotterS3Client", s3);
        // The node routes' snapshotter-put-object writes through it: every run that loads them needs it.
        beans.put("metadataObjects", new MetadataObjects(s3));
    }

    /**
     * Running commands and agents on the nodes: nodetool over camel-ssh (or here, for localhost), agents
     * over SSH, a backup's ({@code backupAgents}) and an in-place restore's ({@code restoreAgents}).
     */
    public RouteBeans nodes(NodeProcesses processes, Duration nodeCommandTimeout, ProgressReporter progress) {
        NodeShell nodeShell = new NodeShell(nodeCommandTimeout);
        agents = new AgentLauncher(processes);
        beans.put("nodeShell", nodeShell);
        beans.put("localShell", new LocalShell(nodeShell));
        beans.put("agentLauncher", agents);
        beans.put("backupAgents", new BackupAgents(agents, progress, json));
        beans.put("restoreAgents", new RestoreAgents(agents, progress, json));
        beans.put("schemaDumper", new SchemaDumper(processes, nodeCommandTimeout));
        return this;
    }

    /** The backup routes' own beans; {@link #nodes} too. */
    public RouteBeans backup(SshClients sshClients, MeterRegistry registry, ProgressReporter progress) {
        beans.put("runMetrics", new RunMetrics(registry));
        beans.put("runLocks", new RunLocks(s3, Clock.systemUTC()));
        beans.put("backupPlanner", new BackupPlanner(Clock.systemUTC(), s3, json, progress));
        beans.put("hostResultAggregator", new HostResultAggregator(sshClients::hostKeyProblem));
        beans.put("runMetadata", new RunMetadata(json));
        beans.put("fencedWrites", new FencedWrites((MetadataObjects) beans.get("metadataObjects"), json));
        beans.put("catalogIndex", new CatalogIndex(s3, json));
        return this;
    }

    /** The restore and verify routes' beans; an in-place restore needs {@link #nodes} too. */
    public RouteBeans restore(S3Settings settings, ProgressReporter progress) {
        beans.put("restorePlanner", new RestorePlanner(s3, json));
        beans.put("fileDownloader", new FileDownloader(s3, settings.bucket(), settings.clientKeys(), progress));
        beans.put("objectChecker", new ObjectChecker(s3, json));
        beans.put("downloadResultAggregator", new DownloadResultAggregator());
        beans.put("sstableLoader", new SstableLoader(progress));
        beans.put("hostRestoreAggregator", new HostRestoreAggregator());
        beans.put("inPlaceImport", new InPlaceImport());
        return this;
    }

    /** list and status. */
    public RouteBeans catalog() {
        beans.put("backupLister", new BackupLister(s3, json));
        beans.put("statusReader", new StatusReader(s3, json));
        return this;
    }

    public Map<String, Object> beans() {
        return Map.copyOf(beans);
    }

    /** The agent launcher of {@link #nodes}: a stop (SIGTERM) cancels its agents. */
    public AgentLauncher agents() {
        return agents;
    }
}
