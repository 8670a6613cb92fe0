package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.FreePorts;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store that cannot be used at all (nothing listening, no such bucket, keys refused): the command
 * fails with exit status 1 and one line that names the bucket and the cause, before any node is
 * touched; no stack trace, no Camel start-up failure.
 */
class UnusableStoreIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("backups");

    @TempDir
    Path work;

    private SnapshotterProcess.Result backup(TestCluster cluster, String endpoint, String bucket,
                                             Map<String, String> env) throws Exception {
        List<String> args = new ArrayList<>(List.of("--s3-bucket-name", bucket, "--s3-base-path", "p",
                "--s3-endpoint", endpoint, "--aws-keys-from-env", "backup", "--hosts", cluster.hosts()));
        args.addAll(BackupArgs.nodeAccess(cluster, SSH.keys()));
        return SnapshotterProcess.run(work, args, env);
    }

    private static String oneLine(SnapshotterProcess.Result result) {
        assertEquals(1, result.exitStatus(), result.all());
        List<String> lines = result.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + result.stderr());
        assertTrue(lines.get(0).startsWith("cassandra-snapshotter: failed: "), lines.get(0));
        return lines.get(0);
    }

    @Test
    void nothingListeningAtTheEndpoint() throws Exception {
        String endpoint = "http://127.0.0.1:" + FreePorts.find();
        try (TestCluster cluster = TestCluster.start(work, SSH.keys(), "127.0.0.1")) {
            String line = oneLine(backup(cluster, endpoint, S3.name(), S3ProxyServer.AWS_ENV));
            assertTrue(line.contains("cannot reach s3://" + S3.name() + " at " + endpoint + ": Connection refused"), line);
            assertTrue(cluster.allCommands().isEmpty(), "no host contacted: " + cluster.allCommands());
        }
    }

    @Test
    void noSuchBucket() throws Exception {
        try (TestCluster cluster = TestCluster.start(work, SSH.keys(), "127.0.0.1")) {
            String line = oneLine(backup(cluster, S3.endpoint(), "no-such-bucket", S3ProxyServer.AWS_ENV));
            assertTrue(line.contains("bucket s3://no-such-bucket at " + S3.endpoint() + " does not exist"), line);
            assertTrue(cluster.allCommands().isEmpty(), "no host contacted: " + cluster.allCommands());
        }
    }

    @Test
    void refusedKeysWithoutShowingTheSecret() throws Exception {
        Map<String, String> env = new HashMap<>(S3ProxyServer.AWS_ENV);
        String wrongSecret = "not-the-Secret-4711";
        env.put("AWS_SECRET_ACCESS_KEY", wrongSecret);
        try (TestCluster cluster = TestCluster.start(work, SSH.keys(), "127.0.0.1")) {
            SnapshotterProcess.Result result = backup(cluster, S3.endpoint(), S3.name(), env);
            String line = oneLine(result);
            assertTrue(line.contains("access to s3://" + S3.name() + " at " + S3.endpoint() + " denied (HTTP 403)"), line);
            assertFalse(result.all().contains(wrongSecret), result.all());
            assertTrue(cluster.allCommands().isEmpty(), "no host contacted: " + cluster.allCommands());
        }
    }

    @Test
    void restoreSaysTheSame() throws Exception {
        String endpoint = "http://127.0.0.1:" + FreePorts.find();
        SnapshotterProcess.Result result = SnapshotterProcess.run(work,
                BackupArgs.command(endpoint, S3.name(), "p", "restore", "--keyspace", "ks1",
                        "--restore-dir", work.resolve("restored").toString()), S3ProxyServer.AWS_ENV);
        String line = oneLine(result);
        assertTrue(line.contains("cannot reach s3://" + S3.name() + " at " + endpoint + ": Connection refused"), line);
    }
}
