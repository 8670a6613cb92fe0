package io.github.cassandrasnapshotter.agent;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which keyspaces and tables a run covers. Table folders are {@code <name>} (Cassandra before 2.1)
 * or {@code <name>-<32 hex id>}; {@code --table} and {@code --exclude-tables} match the name part.
 */
public record TableFilter(Set<String> keyspaces, String table, Set<String> excludedTables) {
    private static final Pattern TABLE_DIRECTORY = Pattern.compile("(.+?)(-[0-9a-fA-F]{32})?");

    public TableFilter {
        keyspaces = keyspaces == null ? Set.of() : Set.copyOf(keyspaces);
        table = table == null || table.isBlank() ? null : table;
        excludedTables = excludedTables == null ? Set.of() : Set.copyOf(excludedTables);
    }

    public static TableFilter of(List<String> keyspaces, String table, List<String> excludedTables) {
        return new TableFilter(keyspaces == null ? null : Set.copyOf(keyspaces), table,
                excludedTables == null ? null : Set.copyOf(excludedTables));
    }

    public boolean includesKeyspace(String keyspace) {
        return keyspaces.isEmpty() || keyspaces.contains(keyspace);
    }

    public boolean includesTable(String tableName) {
        return (table == null || table.equals(tableName)) && !excludedTables.contains(tableName);
    }

    /** The table name of a table folder: {@code users-1b2c...} is {@code users}. */
    public static String tableName(String tableDirectory) {
        Matcher matcher = TABLE_DIRECTORY.matcher(tableDirectory);
        return matcher.matches() ? matcher.group(1) : tableDirectory;
    }
}
