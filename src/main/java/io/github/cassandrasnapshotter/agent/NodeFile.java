package io.github.cassandrasnapshotter.agent;

import java.nio.file.Path;

/** One file on a node that a run uploads. */
public record NodeFile(Path path, String keyspace, String table, FileKind kind) {
}
