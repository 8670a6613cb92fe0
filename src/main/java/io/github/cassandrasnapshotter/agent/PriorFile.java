package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;

/**
 * A file an earlier run stored, offered to this run's agent: a node file with the same keyspace,
 * table, name and size, and the same modification time or SHA-256, is not sent again: this run's list
 * names the stored object, or it is copied inside the store ({@link FileBackup}).
 *
 * @param mtime          the file's modification time (epoch ms) when it was stored; null in records
 *                       older than this field
 * @param tableDirectory the table's folder, {@code <table>-<id>}: a table dropped and created again
 *                       under the same name has another one
 * @param device         the stored file's device and inode on the node ({@link FileIdentity}); null in
 *                       records older than these fields
 * @param keyId          the client-side encryption key of the stored object; null when it is not encrypted
 */
public record PriorFile(String keyspace, String table, String name, FileKind kind, long size, String sha256,
                        String key, long storedSize, String compression, Long mtime, String tableDirectory,
                        Long device, Long inode, Long keyId) {

    /** From a stored file's result; empty when the result lacks what a match needs. */
    public static java.util.Optional<PriorFile> of(FileResult result) {
        if (!result.stored() || result.sha256() == null || result.size() == null || result.storedSize() == null
                || result.key() == null || result.name() == null || result.path() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new PriorFile(result.keyspace(), result.table(), result.name(), result.kind(),
                result.size(), result.sha256(), result.key(), result.storedSize(),
                result.compression() == null ? "lzo" : result.compression(), result.mtime(),
                NodeFile.tableDirectory(result.path(), result.name(), result.kind()), result.device(), result.inode(),
                result.keyId()));
    }
}
