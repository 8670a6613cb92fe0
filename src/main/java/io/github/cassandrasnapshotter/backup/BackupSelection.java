package io.github.cassandrasnapshotter.backup;

import java.util.List;

/**
 * What a backup covers: the hosts, and on each the keyspaces and tables. A snapshot is reused only by
 * a run whose selection is the same ({@link SnapshotPolicy#matches}).
 *
 * @param hosts         {@code --hosts}: the nodes, each once
 * @param keyspaces     {@code --keyspaces}; empty for every keyspace
 * @param table         {@code --table}: one table in each of the keyspaces; {@link #ALL_TABLES} for every table
 * @param excludeTables {@code --exclude-tables}: tables left out, by name; empty for none
 */
public record BackupSelection(List<String> hosts, List<String> keyspaces, String table, List<String> excludeTables) {
    /** The {@code table} of a selection of every table. */
    public static final String ALL_TABLES = "";

    public BackupSelection {
        hosts = List.copyOf(hosts);
        keyspaces = keyspaces == null ? List.of() : List.copyOf(keyspaces);
        table = table == null ? ALL_TABLES : table;
        excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
    }

    /** The host whose ring and schema a snapshot stores. */
    public String firstHost() {
        return hosts.get(0);
    }
}
