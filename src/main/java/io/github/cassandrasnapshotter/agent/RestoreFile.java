package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import io.github.cassandrasnapshotter.validate.SafePaths;

import java.nio.file.Path;

/**
 * One stored file to bring back: where it is, what it must hash to, and where it goes. Its parts come
 * from a bucket (a file list, an old-tool key) and reach the agent in its job: every path made of them
 * is checked ({@link #checked}) to stay in its folder.
 *
 * @param tableDirectory the node's table folder name, {@code <table>-<id>}, kept exactly
 * @param name           the file's path below its table's snapshot or backups folder, kept exactly
 * @param size           original size; null when no per-file manifest records it (the old tool's backups)
 * @param sha256         of the original bytes; null when no per-file manifest records it
 * @param keyId          the client-side key the object is encrypted under; null when it is not encrypted
 */
public record RestoreFile(String host, String keyspace, String tableDirectory, String name, String key, Long size,
                          String sha256, long storedSize, Long keyId) {
    /** Ends the name of a file while it downloads (FileDownloader); it becomes the file only once checked. */
    public static final String PARTIAL_SUFFIX = ".partial";

    /** A file of an unencrypted object. */
    public RestoreFile(String host, String keyspace, String tableDirectory, String name, String key, Long size,
                       String sha256, long storedSize) {
        this(host, keyspace, tableDirectory, name, key, size, sha256, storedSize, null);
    }

    /**
     * This file, when every part of it is a plain name: a host, a Cassandra identifier, a table folder and
     * a relative path of file names.
     *
     * @throws InvalidInputException naming the part that is not
     */
    public RestoreFile checked() {
        if (name != null && name.endsWith(PARTIAL_SUFFIX)) {
            // the name a file has while it downloads: such an entry would remove a file restored beside it
            throw new InvalidInputException("the file name '" + InputValidator.printable(name, 200) + "' ends in "
                    + PARTIAL_SUFFIX + ", which restore gives a file while it downloads");
        }
        InputValidator.host(host);
        InputValidator.identifier("keyspace", keyspace);
        SafePaths.tableDirectory(tableDirectory);
        SafePaths.relativePath("file name", name);
        return this;
    }

    /** {@code <root>/<host>/<keyspace>/<table-dir>/<name>}: generations of different hosts never collide. */
    public Path destination(Path root) {
        checked();
        return SafePaths.under(root, host, keyspace, tableDirectory, name);
    }

    /** {@code <folder>/<name>}, in a table's own folder (an in-place restore's staging folder). */
    public Path destinationIn(Path tableFolder) {
        checked();
        return SafePaths.under(tableFolder, name);
    }

    public String table() {
        return TableFilter.tableName(tableDirectory);
    }
}
