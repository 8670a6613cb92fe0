package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.storage.LockTiming;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.util.Objects;

/**
 * Everything one backup run is asked to do, validated, in its parts. Built by the command line (or by
 * an embedding application) and handed to the {@code backup} route as the message body.
 *
 * @param s3         the bucket, base path, credentials and how objects are written
 * @param nodes      how the nodes are reached and their commands run (as a restore's {@code inPlace})
 * @param selection  the hosts, keyspaces and tables
 * @param upload     part size, parallelism, rate limit, compression
 * @param policy     when a snapshot is reused and when a new one is taken
 * @param schema     whether and how the schema is stored
 * @param lockTiming the base path lock's TTL and renewal interval
 * @param quiet      {@code --quiet}: no progress output
 */
public record BackupRequest(
        S3Settings s3,
        NodeAccess nodes,
        BackupSelection selection,
        UploadTuning upload,
        SnapshotPolicy policy,
        SchemaBackup schema,
        LockTiming lockTiming,
        boolean quiet) {

    public static final String LOCAL_HOST = NodeAccess.LOCAL_HOST;

    public BackupRequest {
        Objects.requireNonNull(s3, "s3");
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(upload, "upload");
        Objects.requireNonNull(schema, "schema");
        policy = policy == null ? SnapshotPolicy.unlimited() : policy;
        lockTiming = lockTiming == null ? LockTiming.defaults() : lockTiming;
    }

    /** The same request, with or without {@code --new-snapshot} (the daemon's two schedules). */
    public BackupRequest withNewSnapshot(boolean always) {
        return new BackupRequest(s3, nodes, selection, upload, policy.withNewSnapshot(always), schema, lockTiming, quiet);
    }

    /** {@code localhost} is backed up in-process, without SSH. */
    public boolean isLocal(String host) {
        return LOCAL_HOST.equals(host);
    }

    @Override
    public String toString() {
        return "BackupRequest[s3=" + s3 + ", ssh=" + nodes.ssh() + ", hosts=" + selection.hosts() + ", keyspaces="
                + selection.keyspaces() + ", table=" + selection.table() + "]";
    }
}
