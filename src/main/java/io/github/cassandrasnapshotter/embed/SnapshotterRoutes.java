package io.github.cassandrasnapshotter.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.cli.FlagRequests;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.ssh.SshComponentSetup;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.io.OutputStream;
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
    /** Every route file but the daemon's schedule: the application triggers the work itself. */
    static final List<String> ROUTE_FILES = List.of("errors", "backup", "node", "list", "restore", "restore-in-place");
    public static final int DEFAULT_DOWNLOAD_THREADS = 4;

    private final FlagRequests flags;
    private final int downloadThreads;
    private S3Client s3;
    private NodeProcesses processes;
    private RouteBeans beans;

    private SnapshotterRoutes(FlagRequests flags, int downloadThreads) {
        this.flags = flags;
        this.downloadThreads = downloadThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the beans, registers the thread pools, configures camel-ssh and loads the routes, then
     * closes the S3 and SSH clients when the context stops. Bad settings fail here, with the
     * command line's message.
     */
    public void addTo(CamelContext context) throws Exception {
        S3Settings s3Settings = flags.s3Settings();
        BackupRequest defaults = flags.backupDefaults();
        ObjectMapper json = new ObjectMapper();
        ProgressReporter progress = new ProgressReporter(new PrintStream(OutputStream.nullOutputStream()), true);
        SshClients sshClients = new SshClients(defaults.nodes().ssh());
        // A cap, not connections made: each message's --connections-per-file may be up to the most.
        s3 = S3ClientFactory.create(s3Settings, defaults.upload().connectionPoolSize()
                + FileDownloader.connections(downloadThreads, FileDownloader.MAX_CONNECTIONS_PER_FILE));
        processes = new NodeProcesses(sshClients);
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        beans = new RouteBeans(s3, json)
                .nodes(processes, defaults.nodes().nodeCommandTimeout(), progress)
                .backup(sshClients, registry != null ? registry : new SimpleMeterRegistry(), progress)
                .restore(s3Settings, progress)
                .catalog();
        beans.beans().forEach(context.getRegistry()::bind);
        context.getRegistry().bind("snapshotterRequests", SnapshotterRequests.fromFlags(flags));

        context.getPropertiesComponent().addOverrideProperty("snapshotter.sshport",
                String.valueOf(defaults.nodes().ssh().port()));
        context.getExecutorServiceManager().registerThreadPoolProfile(
                pool("snapshotterHostPool", defaults.upload().connectionPoolSize()));
        context.getExecutorServiceManager().registerThreadPoolProfile(pool("snapshotterDownloadPool", downloadThreads));
        SshComponentSetup.configure(context, sshClients, defaults.nodes().ssh());

        List<Resource> routes = new ArrayList<>();
        for (String name : ROUTE_FILES) {
            routes.add(ResourceHelper.resolveMandatoryResource(context,
                    "classpath:cassandra-snapshotter/routes/" + name + ".camel.yaml"));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        context.addService(this, true, true);
    }

    private static ThreadPoolProfile pool(String id, int size) {
        ThreadPoolProfile profile = new ThreadPoolProfile(id);
        profile.setPoolSize(size);
        profile.setMaxPoolSize(size);
        profile.setMaxQueueSize(-1);
        return profile;
    }

    @Override
    public void start() {
    }

    /** The context stops: agents still running are stopped (their runs end FAILED, cleaned up), clients closed. */
    @Override
    public void stop() {
        if (beans != null) {
            beans.agents().cancel();
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
