package io.github.cassandrasnapshotter.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counts of a purge (or of a dry run): objects and bytes deleted, objects kept because a kept file list
 * names them, which purged folders still hold such objects, and which were emptied. Filled by one thread.
 */
final class PurgeTally {
    private long objects;
    private long bytes;
    private long referenced;
    private final Map<String, Long> holding = new TreeMap<>();
    private final List<String> emptied = new ArrayList<>();

    void deleted(long size) {
        objects++;
        bytes += size;
    }

    /** Objects deleted elsewhere (by the batches), counted here at the end. */
    void deletedObjects(long count) {
        objects += count;
    }

    /** Bytes of objects handed to the batches. */
    void deletedBytes(long size) {
        bytes += size;
    }

    /** {@code count} objects of the folder stay because kept file lists name them. */
    void referenced(String folder, long count) {
        referenced += count;
        if (count > 0) {
            holding.put(folder, count);
        }
    }

    void emptied(String folder) {
        emptied.add(folder);
    }

    long objects() {
        return objects;
    }

    long bytes() {
        return bytes;
    }

    long referenced() {
        return referenced;
    }

    Map<String, Long> holding() {
        return holding;
    }

    List<String> emptied() {
        return emptied;
    }
}
