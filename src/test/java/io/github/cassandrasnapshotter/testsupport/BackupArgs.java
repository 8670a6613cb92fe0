package io.github.cassandrasnapshotter.testsupport;

import java.util.ArrayList;
import java.util.List;

/** Command lines of the tool against the test servers, as an operator would type them. */
public final class BackupArgs {
    private BackupArgs() {
    }

    /** Global flags for the test bucket; the keys come from the environment ({@link S3ProxyServer#AWS_ENV}). */
    public static List<String> global(S3Server s3, String bucket, String basePath) {
        return new ArrayList<>(List.of("--s3-bucket-name", bucket, "--s3-base-path", basePath,
                "--s3-endpoint", s3.endpoint(), "--aws-keys-from-env"));
    }

    /** {@code backup} of every node of a stand-in cluster over SSH. */
    public static List<String> backup(S3Server s3, String bucket, String basePath, TestCluster cluster,
                                      TestSshServer.Keys keys, String... extra) {
        List<String> args = global(s3, bucket, basePath);
        args.addAll(List.of("backup", "--hosts", cluster.hosts()));
        args.addAll(nodeAccess(cluster, keys));
        args.addAll(List.of(extra));
        return args;
    }

    /** How to reach a stand-in cluster's nodes: SSH login, host keys, nodetool, cassandra.yaml, agent. */
    public static List<String> nodeAccess(TestCluster cluster, TestSshServer.Keys keys) {
        return List.of("--user", TestSshServer.USER, "--sshport", String.valueOf(cluster.port()),
                "--sshkey", keys.clientKeyFile().toString(), "--ssh-known-hosts", cluster.knownHosts().toString(),
                "--nodetool-path", "bin/nodetool", "--cassandra-conf-path", "conf",
                "--agent-command", SnapshotterProcess.agentCommand("256m"));
    }

    /** How to reach a stand-in node as {@code localhost} (no SSH): its nodetool and cassandra.yaml folder. */
    public static List<String> localNodeAccess(TestNode node) {
        return List.of("--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString());
    }

    /** {@code restore} or {@code verify} with its flags. */
    public static List<String> command(String endpoint, String bucket, String basePath, String command, String... flags) {
        List<String> args = new ArrayList<>(List.of("--s3-bucket-name", bucket, "--s3-base-path", basePath,
                "--s3-endpoint", endpoint, "--aws-keys-from-env", command));
        args.addAll(List.of(flags));
        return args;
    }

    /** {@code list}, in text or JSON. */
    public static List<String> list(S3Server s3, String bucket, String basePath, boolean json) {
        List<String> args = global(s3, bucket, basePath);
        args.add("list");
        if (json) {
            args.add("--json");
        }
        return args;
    }
}
