package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.TableFilter;

import java.nio.file.Path;

/**
 * One stored file to bring back: where it is, what it must hash to, and where it goes.
 *
 * @param tableDirectory the node's table folder name, {@code <table>-<id>}, kept exactly
 * @param name           the file's path below its table's snapshot or backups folder, kept exactly
 * @param size           original size; null when no per-file manifest records it (the old tool's backups)
 * @param sha256         of the original bytes; null when no per-file manifest records it
 * @param keyId          the client-side key the object is encrypted under; null when it is not encrypted
 */
public record RestoreFile(String host, String keyspace, String tableDirectory, String name, String key, Long size,
                          String sha256, long storedSize, Long keyId) {

    /** A file of an unencrypted object. */
    public RestoreFile(String host, String keyspace, String tableDirectory, String name, String key, Long size,
                       String sha256, long storedSize) {
        this(host, keyspace, tableDirectory, name, key, size, sha256, storedSize, null);
    }

    /** {@code <root>/<host>/<keyspace>/<table-dir>/<name>}: generations of different hosts never collide. */
    public Path destination(Path root) {
        return root.resolve(host).resolve(keyspace).resolve(tableDirectory).resolve(name);
    }

    public String table() {
        return TableFilter.tableName(tableDirectory);
    }
}
