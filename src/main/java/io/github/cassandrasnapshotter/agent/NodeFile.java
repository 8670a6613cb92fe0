package io.github.cassandrasnapshotter.agent;

import java.nio.file.Path;

/**
 * One file on a node that a run uploads.
 *
 * @param name the path below its {@code snapshots/<tag>/} or {@code backups/} folder, for example
 *             {@code nb-1-big-Data.db} or {@code .users_email_idx/nb-1-big-Data.db}: what stays the
 *             same when the same SSTable is seen in another snapshot or in {@code backups/}
 */
public record NodeFile(Path path, String keyspace, String table, String name, FileKind kind) {
}
