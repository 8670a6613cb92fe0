package io.github.cassandrasnapshotter.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupPlanner;
import io.github.cassandrasnapshotter.backup.FencedWrites;
import io.github.cassandrasnapshotter.backup.HostResultAggregator;
import io.github.cassandrasnapshotter.backup.RunLocks;
import io.github.cassandrasnapshotter.backup.RunMetadata;
import io.github.cassandrasnapshotter.backup.RunMetrics;
import io.github.cassandrasnapshotter.catalog.CatalogIndex;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.MetadataObjects;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** The backup routes' own beans ({@code routes/backup.camel.yaml}); the node beans run its commands. */
public final class BackupBeans implements CamelConfiguration {
    private final S3Client s3;
    private final ObjectMapper json;
    private final ProgressReporter progress;
    private final MetadataObjects metadata;
    private final SshClients sshClients;
    private final MeterRegistry registry;

    BackupBeans(S3Client s3, ObjectMapper json, ProgressReporter progress, MetadataObjects metadata,
                SshClients sshClients, MeterRegistry registry) {
        this.s3 = s3;
        this.json = json;
        this.progress = progress;
        this.metadata = metadata;
        this.sshClients = sshClients;
        this.registry = registry;
    }

    @BindToRegistry("runMetrics")
    public RunMetrics runMetrics() {
        return new RunMetrics(registry);
    }

    @BindToRegistry("runLocks")
    public RunLocks runLocks() {
        return new RunLocks(s3, Clock.systemUTC());
    }

    @BindToRegistry("backupPlanner")
    public BackupPlanner backupPlanner() {
        return new BackupPlanner(Clock.systemUTC(), s3, json, progress);
    }

    /** A refused host key is reported as such, not as camel-ssh's "Failed to authenticate". */
    @BindToRegistry("hostResultAggregator")
    public HostResultAggregator hostResultAggregator() {
        return new HostResultAggregator(sshClients::hostKeyProblem);
    }

    @BindToRegistry("runMetadata")
    public RunMetadata runMetadata() {
        return new RunMetadata(json);
    }

    @BindToRegistry("fencedWrites")
    public FencedWrites fencedWrites() {
        return new FencedWrites(metadata, json);
    }

    @BindToRegistry("catalogIndex")
    public CatalogIndex catalogIndex() {
        return new CatalogIndex(s3, json);
    }
}
