package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Every file's result of a restore or verify, gathered by {@link DownloadResultAggregator}. */
public final class RestoreOutcome {
    private final List<DownloadResult> results = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final java.util.Map<String, List<String>> imported = new java.util.TreeMap<>();

    public synchronized void add(DownloadResult result) {
        results.add(result);
    }

    /** A step that failed as a whole (an exception in the route), recorded rather than dropped. */
    public synchronized void failed(String failure) {
        failures.add(failure);
    }

    private final List<String> loaded = new ArrayList<>();

    /** A table folder sstableloader loaded. */
    public synchronized void loaded(String folder) {
        loaded.add(folder);
    }

    public synchronized List<String> loaded() {
        return List.copyOf(loaded);
    }

    /** Tables loaded into a node by an in-place restore ({@code keyspace.table}). */
    public synchronized void imported(String host, List<String> tables) {
        imported.put(host, List.copyOf(tables));
    }

    public synchronized java.util.Map<String, List<String>> imported() {
        return java.util.Map.copyOf(imported);
    }

    public synchronized List<DownloadResult> results() {
        return results.stream().sorted(Comparator.comparing(r -> r.file().key())).toList();
    }

    public synchronized List<String> failures() {
        List<String> all = new ArrayList<>(failures);
        results.stream().filter(r -> !r.ok()).map(DownloadResult::error).sorted().forEach(all::add);
        return all;
    }

    public synchronized long count(DownloadResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    public synchronized long bytes(DownloadResult.Status status) {
        return results.stream().filter(r -> r.status() == status).mapToLong(DownloadResult::bytes).sum();
    }

    public boolean ok(int expectedFiles) {
        return failures().isEmpty() && results().size() == expectedFiles;
    }
}
