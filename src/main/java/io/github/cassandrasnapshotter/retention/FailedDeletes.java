package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.manifest.PurgeReport;
import io.github.cassandrasnapshotter.storage.StorageKeys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys the store did not delete, per folder of the base path (a snapshot's name, or {@code _status}):
 * a count and the first {@value PurgeReport#KEYS_NAMED} keys with the store's reason. Memory stays a few keys
 * per folder however many deletes fail (a store that refuses every delete refuses millions). Safe to add to
 * from the delete threads.
 */
final class FailedDeletes {
    private final String basePrefix;
    private final Map<String, Folder> folders = new TreeMap<>();

    private static final class Folder {
        long count;
        final Map<String, String> first = new LinkedHashMap<>();
    }

    FailedDeletes(StorageKeys keys) {
        this.basePrefix = keys.basePrefix();
    }

    /** @param key an object's key (anything after it, such as an upload id, is kept in the name) */
    synchronized void add(String key, String reason) {
        Folder folder = folders.computeIfAbsent(folderOf(key), f -> new Folder());
        folder.count++;
        if (folder.first.size() < PurgeReport.KEYS_NAMED) {
            folder.first.put(key, reason);
        }
    }

    /** How many keys in {@code folder} were not deleted. */
    synchronized long in(String folder) {
        Folder failed = folders.get(folder);
        return failed == null ? 0 : failed.count;
    }

    synchronized boolean isEmpty() {
        return folders.isEmpty();
    }

    synchronized Map<String, PurgeReport.NotDeleted> report() {
        Map<String, PurgeReport.NotDeleted> report = new TreeMap<>();
        folders.forEach((name, folder) -> report.put(name, new PurgeReport.NotDeleted(folder.count,
                new LinkedHashMap<>(folder.first))));
        return report;
    }

    private String folderOf(String key) {
        if (!key.startsWith(basePrefix)) {
            return key;
        }
        String rest = key.substring(basePrefix.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
