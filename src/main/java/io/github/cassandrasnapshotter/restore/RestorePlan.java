package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import java.nio.file.Path;
import java.util.List;

/**
 * What a restore brings back: the snapshot, the runs replayed (the snapshot's own first), every file
 * with its destination, and what the operator should know (for example that an old-tool backup has no
 * checksums to check).
 *
 * @param notes   what the operator should know about this snapshot
 * @param skipped newer snapshots that LATEST passed over because an object of theirs cannot be used,
 *                each with its key (verify counts them as problems)
 */
public record RestorePlan(RestoreRequest request, String snapshot, List<String> runs, List<RestoreFile> files,
                          List<String> notes, List<String> skipped) {

    public RestorePlan {
        runs = List.copyOf(runs);
        files = List.copyOf(files);
        notes = List.copyOf(notes);
        skipped = List.copyOf(skipped);
    }

    /** Where the files go, one folder per source host ({@code --restore-dir}). */
    public Path restoreDir() {
        return request.restoreDir();
    }

    /** Ranged GETs in flight for each large file ({@code --connections-per-file}). */
    public int connectionsPerFile() {
        return request.connectionsPerFile();
    }

    /** How sstableloader loads the downloaded tables ({@code --target-hosts}); null for no load. */
    public LoaderSettings loader() {
        return request.loader();
    }

    public List<String> hosts() {
        return files.stream().map(RestoreFile::host).distinct().sorted().toList();
    }

    public long bytes() {
        return files.stream().mapToLong(f -> f.size() != null ? f.size() : f.storedSize()).sum();
    }
}
