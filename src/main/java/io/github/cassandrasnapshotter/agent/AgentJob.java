package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.util.List;

/**
 * The work one node's agent does in a run. It reaches the node on the agent's stdin as JSON,
 * never in argv, because {@code s3} may hold explicit credentials.
 *
 * @param version         the coordinator's version; the agent refuses a job from another version
 * @param host            the host name used in object keys
 * @param snapshot        the snapshot tag and S3 folder
 * @param runId           the run, whose file list for this host the agent stores before it removes a link
 * @param kind            which files to upload
 * @param cassandraConfPath the folder holding {@code cassandra.yaml} ({@code --cassandra-conf-path})
 * @param compression     how the files are stored ({@code --compression})
 * @param partSizeMb      multipart part size ({@code --buffer-size})
 * @param filesAtOnce     files uploaded at the same time
 * @param partsInFlight   parts uploading at once on the node, all files together
 * @param rateLimitKbps   all streams of this node together; 0 for no limit
 * @param priorFiles      files earlier runs stored from this host: same content is named (or copied), not sent
 * @param compareContent  a file matching a prior file by name, size and modification time is still
 *                        read and compared by SHA-256 before the prior object is reused
 * @param referToStored   a prior file's object is named by this run's file list (found in place), not
 *                        copied to this run's key: the snapshot is not self-contained
 */
public record AgentJob(
        String version,
        String host,
        String snapshot,
        String runId,
        FileKind kind,
        S3Settings s3,
        List<String> keyspaces,
        String table,
        List<String> excludeTables,
        String cassandraConfPath,
        Compression compression,
        int partSizeMb,
        int filesAtOnce,
        int partsInFlight,
        long rateLimitKbps,
        List<PriorFile> priorFiles,
        boolean compareContent,
        boolean referToStored) {

    public AgentJob {
        priorFiles = priorFiles == null ? List.of() : List.copyOf(priorFiles);
    }

    public TableFilter filter() {
        return TableFilter.of(keyspaces, table, excludeTables);
    }

    @Override
    public String toString() {
        return "AgentJob[host=" + host + ", snapshot=" + snapshot + ", run=" + runId + ", kind=" + kind + ", s3=" + s3 + "]";
    }
}
