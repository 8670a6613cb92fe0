package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node's part of an in-place restore: its files' results, each table's staging folder, and
 * what failed (the agent, or a {@code nodetool import}). Filled by the routes as the steps go.
 */
public final class HostRestore {
    private final String host;
    private final List<DownloadResult> results;
    private final Map<String, String> staged;
    private final List<String> imported = new ArrayList<>();
    private String error;

    public HostRestore(String host, List<DownloadResult> results, Map<String, String> staged, String error) {
        this.host = host;
        this.results = List.copyOf(results);
        this.staged = Map.copyOf(staged);
        this.error = error;
    }

    public String host() {
        return host;
    }

    public synchronized List<DownloadResult> results() {
        return results;
    }

    /** {@code keyspace.table} to the staging folder on the node. */
    public Map<String, String> staged() {
        return staged;
    }

    /** Every file is staged and checked: the tables may be imported. */
    public synchronized boolean readyToImport() {
        return error == null && !staged.isEmpty() && results.stream().allMatch(DownloadResult::ok);
    }

    public synchronized void imported(String table) {
        imported.add(table);
    }

    public synchronized List<String> importedTables() {
        return List.copyOf(imported);
    }

    public synchronized void failed(String reason) {
        if (error == null) {
            error = reason;
        }
    }

    public synchronized String error() {
        return error;
    }
}
