package io.github.cassandrasnapshotter.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.camel.NodeConnections;
import io.github.cassandrasnapshotter.camel.SnapshotterRequests;
import io.github.cassandrasnapshotter.cli.FlagRequests;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our routes inside another Camel application: {@link #addTo} binds the beans they use, sets up
 * camel-ssh, and loads the route files. The application then sends to
 * {@code direct:snapshotter-backup}, {@code -list}, {@code -status}, {@code -restore},
 * {@code -restore-in-place} and {@code -verify}, with the options as headers (README, "Embedding").
 *
 * <p>Settings are the command line's flags: global flags (bucket, base path, endpoint, keys) and
 * each command's default flags. S3 and SSH connection settings hold for the life of the context;
 * headers choose what each message backs up or restores.
 */
public final class SnapshotterRoutes implements Service {
    public static final int DEFAULT_DOWNLOAD_THREADS = 4;

    private final FlagRequests flags;
    private final int downloadThreads;
    private S3Client s3;
    private NodeProcesses processes;
    private AgentLauncher agents;

    private SnapshotterRoutes(FlagRequests flags, int downloadThreads) {
        this.flags = flags;
        this.downloadThreads = downloadThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the beans, registers the thread pools, configures camel-ssh and loads every route file but
     * the daemon's schedule (the application triggers the work itself), as {@link CamelSetup} does for
     * the command line; then closes the S3 and SSH clients when the context stops. Bad settings fail
     * here, with the command line's message.
     */
    public void addTo(CamelContext context) throws Exception {
        S3Settings s3Settings = flags.s3Settings();
        BackupRequest defaults = flags.backupDefaults();
        SshClients sshClients = new SshClients(defaults.nodes().ssh());
        // A cap, not connections made: each message's --connections-per-file may be up to the most.
        s3 = S3ClientFactory.create(s3Settings, defaults.upload().connectionPoolSize()
                + FileDownloader.connections(downloadThreads, FileDownloader.MAX_CONNECTIONS_PER_FILE));
        processes = new NodeProcesses(sshClients);
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        NodeConnections nodes = new NodeConnections(sshClients, processes, defaults.nodes().ssh(),
                defaults.nodes().nodeCommandTimeout(), true);
        CamelSetup setup = CamelSetup.builder(s3, new ObjectMapper(), ProgressReporter.silent())
                .requests(SnapshotterRequests.fromHeaders(flags))
                .catalog()
                .backup(nodes, registry != null ? registry : new SimpleMeterRegistry())
                .restore(s3Settings)
                .restoreInPlace(nodes)
                .hostsAtOnce(defaults.upload().connectionPoolSize())
                .downloadThreads(downloadThreads)
                .build();
        agents = setup.agents();
        setup.addTo(context);
        context.addService(this, true, true);
    }

    @Override
    public void start() {
    }

    /** The context stops: agents still running are stopped (their runs end FAILED, cleaned up), clients closed. */
    @Override
    public void stop() {
        if (agents != null) {
            agents.cancel();
        }
        if (processes != null) {
            processes.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** The command line's flags, given once. */
    public static final class Builder {
        private final List<String> globalFlags = new ArrayList<>();
        private final Map<String, List<String>> commandFlags = new LinkedHashMap<>();
        private int downloadThreads = DEFAULT_DOWNLOAD_THREADS;

        private Builder() {
        }

        /** Flags given before the command: {@code --s3-bucket-name}, {@code --s3-base-path}, {@code --s3-endpoint}, keys. */
        public Builder globalFlags(String... flags) {
            globalFlags.addAll(List.of(flags));
            return this;
        }

        /**
         * Default flags of {@code backup}, {@code restore} or {@code verify}; a message's headers add to
         * them or override them. The SSH flags of {@code backup} ({@code --user}, {@code --sshkey},
         * {@code --sshport}, ...) are how every node is reached, for backups and in-place restores.
         */
        public Builder commandFlags(String command, String... flags) {
            commandFlags.computeIfAbsent(command, c -> new ArrayList<>()).addAll(List.of(flags));
            return this;
        }

        /** Files downloaded at once by restore and {@code verify --deep}. */
        public Builder downloadThreads(int threads) {
            this.downloadThreads = threads;
            return this;
        }

        public SnapshotterRoutes build() {
            return new SnapshotterRoutes(new FlagRequests(globalFlags, commandFlags), downloadThreads);
        }
    }
}
