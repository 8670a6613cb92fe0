package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.agent.PriorFile;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.RunRecord;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.agent.HostFileManifest;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The files earlier runs stored from each host, for the agents to name (or copy) instead of sending again.
 * Every file a run's file list names as stored is intact in the store (its upload was confirmed),
 * so failed runs count too: a re-run after a failure sends only what is missing.
 */
final class PriorFileCollector {
    /** Snapshot folders looked into, newest first, when a new snapshot is taken. */
    static final int MAX_SNAPSHOTS_SCANNED = 8;

    private final BackupCatalog catalog;
    private final Set<String> unreadable = new LinkedHashSet<>();

    PriorFileCollector(BackupCatalog catalog) {
        this.catalog = catalog;
    }

    /** File lists that exist and could not be used (each named by its key): their files count as not stored. */
    List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    /** For an incremental run: everything the parent snapshot holds from each host. */
    Map<String, List<PriorFile>> ofSnapshot(SnapshotRecord parent, List<String> hosts) {
        Map<String, List<PriorFile>> files = empty(hosts);
        for (String host : hosts) {
            addHost(parent, host, files.get(host));
        }
        return files;
    }

    /**
     * For a new snapshot: per host, the files of the newest complete snapshot that holds the host and
     * of any newer (incomplete) snapshot folders, at most {@value #MAX_SNAPSHOTS_SCANNED} folders.
     */
    Map<String, List<PriorFile>> ofRecentSnapshots(List<String> newestFirst, Function<String, SnapshotRecord> reader,
                                                   List<String> hosts) {
        Map<String, List<PriorFile>> files = empty(hosts);
        Set<String> settled = new HashSet<>();
        int scanned = 0;
        for (String name : newestFirst) {
            if (settled.size() == hosts.size() || scanned++ == MAX_SNAPSHOTS_SCANNED) {
                break;
            }
            SnapshotRecord snapshot = reader.apply(name);
            for (String host : hosts) {
                if (!settled.contains(host)) {
                    addHost(snapshot, host, files.get(host));
                    if (snapshot.complete() && snapshot.hosts().contains(host)) {
                        settled.add(host);
                    }
                }
            }
        }
        return files;
    }

    private void addHost(SnapshotRecord snapshot, String host, List<PriorFile> into) {
        for (RunRecord run : snapshot.runs()) {
            if (!run.hostFileLists().contains(host)) {
                continue;
            }
            HostFileManifest manifest;
            try {
                manifest = catalog.hostFiles(snapshot.name(), run.runId(), host).orElse(null);
            } catch (UnreadableObjectException e) {
                unreadable.add(e.getMessage());
                continue;
            }
            if (manifest == null) {
                continue;
            }
            for (FileResult file : manifest.files()) {
                // A list names objects of its host's snapshot folders only; any other key is never named
                // again by a new list, nor copied from (restore would refuse it, and it may be another base path's).
                PriorFile.of(file).filter(prior -> catalog.keys().isHostDataKey(prior.key(), host)).ifPresent(into::add);
            }
        }
    }

    private static Map<String, List<PriorFile>> empty(List<String> hosts) {
        Map<String, List<PriorFile>> files = new LinkedHashMap<>();
        hosts.forEach(h -> files.put(h, new ArrayList<>()));
        return files;
    }
}
