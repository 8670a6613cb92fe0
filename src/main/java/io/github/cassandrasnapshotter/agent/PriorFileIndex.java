package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.crypto.ClientKeys;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Earlier runs' files of this host, looked up by what stays the same for the same SSTable:
 * keyspace, table, name and size. The name alone is never trusted: Cassandra rewrites some
 * components (Statistics.db, on repair) under the same name and often the same size. Such a rewrite
 * is a new write, so it changes the modification time; a file whose name, size and modification
 * time all match is taken as unchanged, and anything else is compared by SHA-256.
 */
final class PriorFileIndex {
    private record Key(String keyspace, String table, String name, long size) {
    }

    private final Map<Key, List<PriorFile>> files = new HashMap<>();
    /** This run's compression: an object stored otherwise is never reused (the file lists hold its label). */
    private final String compressionLabel;
    private final ClientKeys keys;

    /**
     * @param keys this run's client-side encryption keys, or null: an object is reused only when it is
     *             encrypted under a key of these (with keys), or not encrypted at all (without)
     */
    PriorFileIndex(List<PriorFile> priorFiles, Compression compression, ClientKeys keys) {
        this.compressionLabel = compression.label();
        this.keys = keys;
        for (PriorFile file : priorFiles) {
            files.computeIfAbsent(new Key(file.keyspace(), file.table(), file.name(), file.size()),
                    k -> new java.util.ArrayList<>()).add(file);
        }
    }

    /** Earlier files that may hold the same content: worth hashing this file for. */
    List<PriorFile> candidates(NodeFile file, long size) {
        return sameFile(file, size).stream().filter(c -> compressionLabel.equals(c.compression()) && readable(c)).toList();
    }

    private boolean readable(PriorFile file) {
        return keys == null ? file.keyId() == null : file.keyId() != null && keys.holds(file.keyId());
    }

    private List<PriorFile> sameFile(NodeFile file, long size) {
        return files.getOrDefault(new Key(file.keyspace(), file.table(), file.name(), size), List.of());
    }

    /** The candidate with this content, preferring one already at {@code key}. */
    Optional<PriorFile> withContent(List<PriorFile> candidates, String sha256, String key) {
        return preferKey(candidates.stream().filter(c -> c.sha256().equals(sha256)), key);
    }

    /** The candidate stored from a file with this modification time (epoch ms), preferring one already at {@code key}. */
    Optional<PriorFile> unchanged(List<PriorFile> candidates, long mtime, String key) {
        return preferKey(candidates.stream().filter(c -> c.mtime() != null && c.mtime() == mtime), key);
    }

    private static Optional<PriorFile> preferKey(java.util.stream.Stream<PriorFile> matches, String key) {
        return matches.min((a, b) -> Boolean.compare(!a.key().equals(key), !b.key().equals(key)));
    }

    /**
     * The parent snapshot's files that may be this incremental link: same keyspace, table folder (so
     * the same table id), name and size. Whether one of them is the link is for its identity or
     * content to say ({@link FileBackup}), never a clock.
     */
    List<PriorFile> inParentSnapshot(NodeFile file, long size) {
        String tableDirectory = file.tableDirectory();
        return sameFile(file, size).stream()
                .filter(c -> c.kind() == FileKind.SNAPSHOT && tableDirectory != null
                        && tableDirectory.equals(c.tableDirectory()))
                .filter(this::readable) // a link is removed as covered only by an object this run's keys can read
                .toList();
    }
}
