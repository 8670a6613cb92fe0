package io.github.cassandrasnapshotter.camel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Our route files, in the groups a command loads together: the one place that says which file a
 * command needs. Every group also loads {@code errors} (the route configuration all our routes name).
 * A group's beans are bound by {@link CamelSetup}; a route file that refers to a bean of a group not
 * loaded would fail when Camel starts.
 */
public enum RouteGroup {
    /** {@code direct:snapshotter-list} and {@code -status}. */
    CATALOG("list"),
    /** {@code direct:snapshotter-backup}, and the node commands it runs. */
    BACKUP("backup", "node"),
    /** {@code direct:snapshotter-restore} and {@code -verify}: the store to a folder. */
    RESTORE("restore"),
    /** {@code direct:snapshotter-restore-in-place}: the nodes' own agents, with {@link #RESTORE}'s planning. */
    RESTORE_IN_PLACE("restore-in-place", "node"),
    /** {@code direct:snapshotter-purge}: deletes what the retention policy does not keep. */
    PURGE("purge"),
    /** The daemon's quartz triggers ({@code scheduledBackups}, bound by the daemon), with {@link #BACKUP}. */
    SCHEDULE("schedule");

    /** Where the build puts {@code routes/} in the jar (pom.xml): a folder of our own, never a host application's {@code camel/}. */
    static final String FOLDER = "classpath:cassandra-snapshotter/routes/";
    static final String ERRORS = "errors";

    private final List<String> files;

    RouteGroup(String... files) {
        this.files = List.of(files);
    }

    /** The resources of these groups, {@code errors} first, each file once. */
    static List<String> resources(Collection<RouteGroup> groups) {
        Set<String> names = new LinkedHashSet<>();
        names.add(ERRORS);
        for (RouteGroup group : groups) {
            names.addAll(group.files);
        }
        List<String> resources = new ArrayList<>();
        for (String name : names) {
            resources.add(FOLDER + name + ".camel.yaml");
        }
        return resources;
    }
}
