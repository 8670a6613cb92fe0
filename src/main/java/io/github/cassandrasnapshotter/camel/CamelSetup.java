package io.github.cassandrasnapshotter.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.node.AgentLauncher;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.ssh.SshComponentSetup;
import io.github.cassandrasnapshotter.storage.MetadataObjects;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.spi.CamelBeanPostProcessor;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything our routes need in a CamelContext, in one place, for the command line (camel-main:
 * {@link #configurations()} are camel-main configuration classes, {@link #routesIncludePattern()} its
 * {@code camel.main.routes-include-pattern}) and for an application that embeds them
 * ({@link #addTo(CamelContext)}): the beans of each {@link RouteGroup} (bound with
 * {@code @BindToRegistry}), the thread pools the splits name, the {@code snapshotter.*} properties
 * the route files read, and camel-ssh set up as our own SSH clients are.
 *
 * <p>A new bean goes in its group's configuration class; a new route file in {@link RouteGroup}.
 */
public final class CamelSetup implements CamelConfiguration {
    /** The split over hosts (backup, in-place restore): {@code snapshotter.connection-pool-size} threads. */
    static final String HOST_POOL = "snapshotterHostPool";
    /** The split over files (restore, verify --deep): {@code snapshotter.download-threads} threads. */
    static final String DOWNLOAD_POOL = "snapshotterDownloadPool";
    static final String HOSTS_AT_ONCE = "snapshotter.connection-pool-size";
    static final String DOWNLOAD_THREADS = "snapshotter.download-threads";
    static final String SSH_PORT = "snapshotter.sshport";

    private final Set<RouteGroup> groups;
    private final List<CamelConfiguration> beans;
    private final Map<String, String> properties;
    private final NodeConnections nodes;
    private final NodeBeans nodeBeans;
    private final MeterRegistry routeMeters;

    private CamelSetup(Builder builder) {
        this.groups = EnumSet.copyOf(builder.groups);
        this.properties = Map.copyOf(builder.properties);
        this.nodes = builder.nodes;
        this.routeMeters = builder.routeMeters;
        MetadataObjects metadata = new MetadataObjects(builder.s3);
        List<CamelConfiguration> configurations = new ArrayList<>();
        configurations.add(new StoreBeans(builder.s3, metadata, builder.requests));
        nodeBeans = nodes == null ? null : new NodeBeans(nodes, builder.progress, builder.json);
        if (nodeBeans != null) {
            configurations.add(nodeBeans);
        }
        if (groups.contains(RouteGroup.BACKUP)) {
            configurations.add(new BackupBeans(builder.s3, builder.json, builder.progress, metadata,
                    nodes.clients(), builder.registry));
        }
        if (groups.contains(RouteGroup.RESTORE)) {
            configurations.add(new RestoreBeans(builder.s3, builder.json, builder.progress, builder.restoreFrom));
        }
        if (groups.contains(RouteGroup.PURGE)) {
            configurations.add(new PurgeBeans(builder.s3, builder.json));
        }
        if (groups.contains(RouteGroup.CATALOG)) {
            configurations.add(new CatalogBeans(builder.s3, builder.json));
        }
        this.beans = List.copyOf(configurations);
    }

    /**
     * @param progress where the routes' beans report progress (a backup's files, a restore's downloads)
     */
    public static Builder builder(S3Client s3, ObjectMapper json, ProgressReporter progress) {
        return new Builder(s3, json, progress);
    }

    /** The bean configurations of the groups, then this one (pools, camel-ssh): camel-main's configuration classes. */
    public List<CamelConfiguration> configurations() {
        List<CamelConfiguration> all = new ArrayList<>(beans);
        all.add(this);
        return all;
    }

    /** {@code camel.main.routes-include-pattern}: the route files of the groups, and no other. */
    public String routesIncludePattern() {
        return String.join(",", RouteGroup.resources(groups));
    }

    /** {@code snapshotter.*} properties the route files and {@link #configure} read, as override properties. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The agents of the context's node routes, or null without them: a stop cancels them. */
    public AgentLauncher agents() {
        return nodeBeans == null ? null : nodeBeans.agents();
    }

    /** Runs after the beans are bound and before the routes start. */
    @Override
    public void configure(CamelContext context) {
        if (groups.contains(RouteGroup.BACKUP) || groups.contains(RouteGroup.RESTORE_IN_PLACE)) {
            register(context, HOST_POOL, HOSTS_AT_ONCE);
        }
        if (groups.contains(RouteGroup.RESTORE)) {
            register(context, DOWNLOAD_POOL, DOWNLOAD_THREADS);
        }
        if (nodes != null && nodes.overSsh()) {
            SshComponentSetup.configure(context, nodes.clients(), nodes.ssh());
        }
        if (routeMeters != null) {
            // Camel's own per-route meters, in the same registry as ours (camel-micrometer finds it by this name).
            context.getRegistry().bind("metricsRegistry", routeMeters);
            context.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
        }
    }

    /** A bounded pool of the size the property gives; work beyond it waits in the queue, never runs on the caller. */
    private static void register(CamelContext context, String id, String sizeProperty) {
        int size = Integer.parseInt(context.resolvePropertyPlaceholders("{{" + sizeProperty + "}}").strip());
        ThreadPoolProfile profile = new ThreadPoolProfile(id);
        profile.setPoolSize(size);
        profile.setMaxPoolSize(size);
        profile.setMaxQueueSize(-1);
        context.getExecutorServiceManager().registerThreadPoolProfile(profile);
    }

    /**
     * For a context that camel-main does not run (an embedding application's): sets the properties,
     * binds the beans and sets up as camel-main would with {@link #configurations()}, then loads the
     * route files.
     */
    public void addTo(CamelContext context) throws Exception {
        properties.forEach(context.getPropertiesComponent()::addOverrideProperty);
        CamelBeanPostProcessor binder = PluginHelper.getBeanPostProcessor(context);
        for (CamelConfiguration configuration : configurations()) {
            String name = configuration.getClass().getName();
            binder.postProcessBeforeInitialization(configuration, name);
            binder.postProcessAfterInitialization(configuration, name);
            configuration.configure(context);
        }
        List<Resource> routes = new ArrayList<>();
        for (String resource : RouteGroup.resources(groups)) {
            routes.add(ResourceHelper.resolveMandatoryResource(context, resource));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
    }

    /** What the routes of a context need; each group names what its beans are made from. */
    public static final class Builder {
        private final S3Client s3;
        private final ObjectMapper json;
        private final ProgressReporter progress;
        private final Set<RouteGroup> groups = EnumSet.noneOf(RouteGroup.class);
        private final Map<String, String> properties = new LinkedHashMap<>();
        private SnapshotterRequests requests = SnapshotterRequests.bodyOnly();
        private NodeConnections nodes;
        private MeterRegistry registry;
        private MeterRegistry routeMeters;
        private S3Settings restoreFrom;

        private Builder(S3Client s3, ObjectMapper json, ProgressReporter progress) {
            this.s3 = s3;
            this.json = json;
            this.progress = progress;
        }

        /** Where each message's request comes from; by default the body is the request (the command line). */
        public Builder requests(SnapshotterRequests requests) {
            this.requests = requests;
            return this;
        }

        public Builder catalog() {
            groups.add(RouteGroup.CATALOG);
            return this;
        }

        /** The backup routes, their meters in {@code registry}. */
        public Builder purge() {
            groups.add(RouteGroup.PURGE);
            return this;
        }

        public Builder backup(NodeConnections nodes, MeterRegistry registry) {
            groups.add(RouteGroup.BACKUP);
            this.registry = registry;
            return nodes(nodes);
        }

        /** The restore and verify routes, reading from {@code settings}' bucket with its keys. */
        public Builder restore(S3Settings settings) {
            groups.add(RouteGroup.RESTORE);
            this.restoreFrom = settings;
            return this;
        }

        /** The in-place restore routes; {@link #restore} too. */
        public Builder restoreInPlace(NodeConnections nodes) {
            groups.add(RouteGroup.RESTORE_IN_PLACE);
            return nodes(nodes);
        }

        /** The daemon's schedule; the daemon binds its {@code scheduledBackups}. */
        public Builder schedule() {
            groups.add(RouteGroup.SCHEDULE);
            return this;
        }

        /** Camel's per-route meters too, in {@code registry} (the backup's). */
        public Builder routeMeters(MeterRegistry registry) {
            this.routeMeters = registry;
            return this;
        }

        /** Hosts worked on at once; without it, {@code snapshotter.connection-pool-size} as the context has it. */
        public Builder hostsAtOnce(int hosts) {
            return property(HOSTS_AT_ONCE, hosts);
        }

        /** Files downloaded at once; without it, {@code snapshotter.download-threads} as the context has it. */
        public Builder downloadThreads(int threads) {
            return property(DOWNLOAD_THREADS, threads);
        }

        private Builder nodes(NodeConnections nodes) {
            if (this.nodes != null && this.nodes != nodes) {
                throw new IllegalArgumentException("one NodeConnections per context");
            }
            this.nodes = nodes;
            return property(SSH_PORT, nodes.ssh().port());
        }

        private Builder property(String name, int value) {
            properties.put(name, String.valueOf(value));
            return this;
        }

        public CamelSetup build() {
            if (groups.isEmpty()) {
                throw new IllegalStateException("no route group");
            }
            if (groups.contains(RouteGroup.RESTORE_IN_PLACE) && !groups.contains(RouteGroup.RESTORE)) {
                throw new IllegalStateException("restoreInPlace needs restore: it plans as restore does");
            }
            if (groups.contains(RouteGroup.SCHEDULE) && !groups.contains(RouteGroup.BACKUP)) {
                throw new IllegalStateException("schedule needs backup: its fires send to direct:snapshotter-backup");
            }
            return new CamelSetup(this);
        }
    }
}
