package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.nio.file.Path;
import java.util.List;

/**
 * What a restore is asked to bring back, validated.
 *
 * @param snapshotName    a snapshot name, or {@code LATEST}: the newest complete snapshot holding the
 *                        source hosts and the keyspace (and table)
 * @param keyspace        the keyspace to restore; null for every keyspace ({@code verify})
 * @param table           one table, or "" for every table of the keyspace
 * @param sourceHosts     hosts whose files to restore; empty for every host of the snapshot
 * @param pointInTime     a run id or a time: the snapshot plus its incremental runs up to it; null for all runs
 * @param downloadThreads files downloaded at once
 * @param connectionsPerFile ranged GETs in flight for each large file; 1 for one GET per file
 * @param inPlace         null to download to {@code restoreDir}; else how to reach the nodes, where each
 *                        node's agent stages its own files next to each table and {@code nodetool import} loads them
 * @param loader          null, or how sstableloader loads the downloaded tables into a cluster ({@code --target-hosts})
 */
public record RestoreRequest(S3Settings s3, String snapshotName, String keyspace, String table,
                             List<String> sourceHosts, String pointInTime, Path restoreDir, int downloadThreads,
                             int connectionsPerFile,
                             NodeAccess inPlace, LoaderSettings loader, boolean quiet) {
    public static final String LATEST = "LATEST";

    public RestoreRequest {
        table = table == null ? "" : table;
        sourceHosts = sourceHosts == null ? List.of() : List.copyOf(sourceHosts);
    }
}
