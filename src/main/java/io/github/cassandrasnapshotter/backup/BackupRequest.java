package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.ssh.SshSettings;
import io.github.cassandrasnapshotter.storage.LockTiming;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.time.Duration;
import java.util.List;

/**
 * Everything one backup run is asked to do, validated. Built by the command line (or by an
 * embedding application) and handed to the {@code backup} route as the message body.
 *
 * @param cqlshPath           cqlsh on the nodes, for {@code --backup-schema}
 * @param agentCommand        how to start the agent on a node, without the {@code agent} word
 * @param filesAtOnce         files uploaded at once per node
 * @param partsInFlight       parts uploading at once on each node, all files together
 * @param compareContent      hash files that look unchanged (name, size, modification time) before reusing a prior copy
 * @param nodeCommandTimeout  bound on each nodetool command
 * @param agentTimeout        bound on one node's whole upload
 * @param policy              when a snapshot is reused and when a new one is taken
 * @param lockTiming          the base path lock's TTL and renewal interval
 */
public record BackupRequest(
        S3Settings s3,
        SshSettings ssh,
        List<String> hosts,
        List<String> keyspaces,
        String table,
        List<String> excludeTables,
        boolean newSnapshot,
        boolean backupSchema,
        String cqlshPath,
        String cqlshUser,
        String cqlshPassword,
        boolean useSudo,
        String nodetoolPath,
        String cassandraConfPath,
        int bufferSizeMb,
        int connectionPoolSize,
        long rateLimitKbps,
        Compression compression,
        List<String> agentCommand,
        int filesAtOnce,
        int partsInFlight,
        boolean compareContent,
        Duration nodeCommandTimeout,
        Duration agentTimeout,
        SnapshotPolicy policy,
        LockTiming lockTiming,
        boolean quiet) {

    public static final String LOCAL_HOST = NodeAccess.LOCAL_HOST;

    public BackupRequest {
        hosts = List.copyOf(hosts);
        keyspaces = keyspaces == null ? List.of() : List.copyOf(keyspaces);
        table = table == null ? "" : table;
        excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
        agentCommand = List.copyOf(agentCommand);
        policy = policy == null ? SnapshotPolicy.unlimited() : policy;
        lockTiming = lockTiming == null ? LockTiming.defaults() : lockTiming;
    }

    /** The same request, with or without {@code --new-snapshot} (the daemon's two schedules). */
    public BackupRequest withNewSnapshot(boolean always) {
        return new BackupRequest(s3, ssh, hosts, keyspaces, table, excludeTables, always, backupSchema, cqlshPath,
                cqlshUser, cqlshPassword, useSudo, nodetoolPath, cassandraConfPath, bufferSizeMb, connectionPoolSize,
                rateLimitKbps, compression, agentCommand, filesAtOnce, partsInFlight, compareContent, nodeCommandTimeout,
                agentTimeout, policy, lockTiming, quiet);
    }

    public NodeAccess nodeAccess() {
        return new NodeAccess(ssh, useSudo, nodetoolPath, cassandraConfPath, agentCommand, nodeCommandTimeout,
                agentTimeout);
    }

    /** {@code localhost} is backed up in-process, without SSH. */
    public boolean isLocal(String host) {
        return LOCAL_HOST.equals(host);
    }

    @Override
    public String toString() {
        return "BackupRequest[s3=" + s3 + ", ssh=" + ssh + ", hosts=" + hosts + ", keyspaces=" + keyspaces
                + ", table=" + table + "]";
    }
}
