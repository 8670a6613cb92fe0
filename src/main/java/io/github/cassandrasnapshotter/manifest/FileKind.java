package io.github.cassandrasnapshotter.manifest;

/** Where a data file comes from on the node. */
public enum FileKind {
    /** {@code <table>/snapshots/<name>/}: hard links made by {@code nodetool snapshot}. */
    SNAPSHOT,
    /** {@code <table>/backups/}: hard links Cassandra makes of every flushed SSTable. */
    INCREMENTAL
}
