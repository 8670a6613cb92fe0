package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.agent.HostFileManifest;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.RunRecord;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.util.DaemonThreads;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The objects of the snapshots to purge that a kept snapshot still needs: every key that a file list
 * of a kept snapshot (any of its runs, complete or not) names under a purged snapshot's folder. Only
 * those keys are held, so memory grows with the references into purged snapshots, not with the files
 * kept. A kept file list that cannot be read stops the purge: what it names is unknown. This is the only
 * source of what stays in a purged folder: no tombstone or other record of a purged snapshot is consulted.
 */
final class LiveReferences {
    private static final int READERS = 16;

    private LiveReferences() {
    }

    static Set<String> into(Collection<String> purgedPrefixes, List<SnapshotRecord> kept, BackupCatalog catalog)
            throws InterruptedException {
        Set<String> live = ConcurrentHashMap.newKeySet();
        if (purgedPrefixes.isEmpty()) {
            return live;
        }
        ExecutorService readers = Executors.newFixedThreadPool(READERS, DaemonThreads.named("purge-references"));
        try {
            List<Future<?>> reads = new ArrayList<>();
            for (SnapshotRecord snapshot : kept) {
                for (RunRecord run : snapshot.runs()) {
                    for (String host : run.hostFileLists()) {
                        reads.add(readers.submit(() -> {
                            Optional<HostFileManifest> list = catalog.hostFiles(snapshot.name(), run.runId(), host);
                            list.ifPresent(files -> names(files).stream()
                                    .filter(key -> purgedPrefixes.stream().anyMatch(key::startsWith))
                                    .forEach(live::add));
                            return null;
                        }));
                    }
                }
            }
            for (Future<?> read : reads) {
                read.get();
            }
            return live;
        } catch (ExecutionException e) {
            // No cause chained: this line (naming the key) is what the operator sees, not the cause's alone.
            IllegalStateException stop = new IllegalStateException("a kept snapshot's file list cannot be read, so "
                    + "nothing is deleted: " + e.getCause().getMessage());
            stop.addSuppressed(e.getCause());
            throw stop;
        } finally {
            readers.shutdownNow();
        }
    }

    private static List<String> names(HostFileManifest list) {
        List<String> keys = new ArrayList<>();
        for (List<FileResult> files : java.util.Arrays.asList(list.files(), list.failed())) {
            if (files != null) {
                files.stream().map(FileResult::key).filter(java.util.Objects::nonNull).forEach(keys::add);
            }
        }
        return keys;
    }
}
