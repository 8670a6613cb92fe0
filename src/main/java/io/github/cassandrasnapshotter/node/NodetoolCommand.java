package io.github.cassandrasnapshotter.node;

import io.github.cassandrasnapshotter.validate.InputValidator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the nodetool command lines run on each node; every argument is validated here. */
public final class NodetoolCommand {
    private final String nodetoolPath;
    private final boolean useSudo;

    public NodetoolCommand(String nodetoolPath, boolean useSudo) {
        this.nodetoolPath = InputValidator.path("nodetool path", nodetoolPath);
        this.useSudo = useSudo;
    }

    /**
     * {@code nodetool snapshot -t TAG [keyspaces]}; with a table, {@code --table NAME KEYSPACE} for one
     * keyspace (every Cassandra version) or {@code --kt-list} for several (3.4 and later).
     */
    public List<String> snapshot(String tag, List<String> keyspaces, String table) {
        return snapshot(tag, keyspaces, table, null);
    }

    /**
     * The same with {@code --ttl <minutes>m} (Cassandra 4.1 and later) when {@code ttl} is not null: the
     * snapshot then removes itself even if the coordinator dies before its {@code clearsnapshot}.
     */
    public List<String> snapshot(String tag, List<String> keyspaces, String table, Duration ttl) {
        List<String> argv = base("snapshot");
        argv.add("-t");
        argv.add(InputValidator.snapshotName(tag));
        if (ttl != null) {
            argv.add("--ttl");
            argv.add(Math.max(1, (ttl.toSeconds() + 59) / 60) + "m");
        }
        if (table != null && !table.isEmpty()) {
            InputValidator.identifier("table", table);
            if (keyspaces.size() == 1) {
                argv.add("--table");
                argv.add(table);
                argv.add(InputValidator.identifier("keyspace", keyspaces.get(0)));
                return argv;
            }
            List<String> pairs = new ArrayList<>();
            for (String keyspace : keyspaces) {
                pairs.add(InputValidator.identifier("keyspace", keyspace) + "." + table);
            }
            argv.add("--kt-list");
            argv.add(String.join(",", pairs));
        } else {
            for (String keyspace : keyspaces) {
                argv.add(InputValidator.identifier("keyspace", keyspace));
            }
        }
        return argv;
    }

    public List<String> clearSnapshot(String tag) {
        List<String> argv = base("clearsnapshot");
        argv.add("-t");
        argv.add(InputValidator.snapshotName(tag));
        return argv;
    }

    /** {@code nodetool version}: which Cassandra the node runs ({@link CassandraVersion}). */
    public List<String> version() {
        return base("version");
    }

    public List<String> ring() {
        return base("ring");
    }

    /**
     * {@code nodetool flush [keyspace...]}, or {@code flush KEYSPACE TABLE} for one table of one
     * keyspace. nodetool takes tables only after a single keyspace, so for a table in several
     * keyspaces the keyspaces are flushed whole (a flush writes nothing for tables without new data).
     */
    public List<String> flush(List<String> keyspaces, String table) {
        List<String> argv = base("flush");
        if (table != null && !table.isEmpty() && keyspaces.size() == 1) {
            argv.add(InputValidator.identifier("keyspace", keyspaces.get(0)));
            argv.add(InputValidator.identifier("table", table));
            return argv;
        }
        for (String keyspace : keyspaces) {
            argv.add(InputValidator.identifier("keyspace", keyspace));
        }
        return argv;
    }

    private List<String> base(String subcommand) {
        List<String> argv = new ArrayList<>();
        if (useSudo) {
            argv.add("sudo");
            argv.add("-n");
        }
        argv.add(nodetoolPath);
        argv.add(subcommand);
        return argv;
    }
}
