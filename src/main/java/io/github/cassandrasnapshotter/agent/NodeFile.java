package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import java.nio.file.Path;

/**
 * One file on a node that a run uploads.
 *
 * @param name the path below its {@code snapshots/<tag>/} or {@code backups/} folder, for example
 *             {@code nb-1-big-Data.db} or {@code .users_email_idx/nb-1-big-Data.db}: what stays the
 *             same when the same SSTable is seen in another snapshot or in {@code backups/}
 */
public record NodeFile(Path path, String keyspace, String table, String name, FileKind kind) {

    /** The table's folder ({@code <table>-<id>}) this file belongs to. */
    public String tableDirectory() {
        return tableDirectory(path.toString(), name, kind);
    }

    /**
     * The table folder of a node path {@code .../<table-dir>/snapshots/<tag>/<name>} or
     * {@code .../<table-dir>/backups/<name>}; null when the path is not laid out so.
     */
    public static String tableDirectory(String path, String name, FileKind kind) {
        Path folder = Path.of(path);
        for (int i = 0; i < Path.of(name).getNameCount() && folder != null; i++) {
            folder = folder.getParent();
        }
        // up from snapshots/<tag> or from backups
        for (int i = 0; i < (kind == FileKind.SNAPSHOT ? 2 : 1) && folder != null; i++) {
            folder = folder.getParent();
        }
        return folder == null || folder.getFileName() == null ? null : folder.getFileName().toString();
    }
}
