package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input: one clear line, exit status 2, and nothing touched. The command lines point at a live
 * store (S3Proxy) and a live SSH server, so a value checked too late would show: no object is written
 * to the bucket and the SSH server runs no command.
 */
class BadInputIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("bad-input");

    @TempDir
    Path work;

    private SnapshotterProcess.Result run(List<String> args) throws Exception {
        return SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
    }

    /** A backup of the cluster into the live bucket that would run, but for what a test adds. */
    private static List<String> backup(TestCluster cluster, String... backupArgs) {
        return BackupArgs.backup(S3.server(), S3.name(), "p", cluster, SSH.keys(), backupArgs);
    }

    /**
     * The command line with {@code --option=value} in place of the option's good value, or added when it
     * has none: an option given twice would be refused for that alone, before its value is looked at.
     */
    private static List<String> with(List<String> args, String bad) {
        int equals = bad.indexOf('=');
        int at = equals < 0 ? -1 : args.indexOf(bad.substring(0, equals));
        if (at < 0) {
            args.add(bad);
        } else {
            args.set(at + 1, bad.substring(equals + 1));
        }
        return args;
    }

    private static void assertNothingTouched(TestCluster cluster) {
        assertTrue(cluster.allCommands().isEmpty(), "no host contacted: " + cluster.allCommands());
        assertEquals(List.of(), S3.objects().keys(""), "no object written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--keyspaces=ks;touch /tmp/snapshotter-pwned", "--table=a b", "--hosts=h1;rm",
            "--exclude-tables=$(id)", "--buffer-size=1", "--frobnicate", "--compression=zip", "--hosts=127.0.0.1,127.0.0.1"})
    void badValuesExitTwoWithOneLineBeforeAnyHostIsContacted(String bad) throws Exception {
        try (TestCluster cluster = TestCluster.start(work, SSH.keys(), "127.0.0.1")) {
            List<String> args = backup(cluster, "--keyspaces", "ks1");
            SnapshotterProcess.Result result = run(with(args, bad));

            assertEquals(2, result.exitStatus(), result.all());
            List<String> lines = result.stderr().strip().lines().toList();
            assertEquals(1, lines.size(), "one line: " + result.stderr());
            assertTrue(lines.get(0).startsWith("cassandra-snapshotter: "), lines.get(0));
            assertNothingTouched(cluster);
            assertFalse(Files.exists(Path.of("/tmp/snapshotter-pwned")));
        }
    }

    /** Each case replaces one value of a good command line, so the value alone is what is refused. */
    @ParameterizedTest
    @ValueSource(strings = {"--s3-endpoint=not a url", "--s3-endpoint=127.0.0.1:9000", "--s3-endpoint=ftp://127.0.0.1",
            "--hosts=2001:db8::1", "--hosts=[2001:db8::1]", "--hosts=127.0.0.1:2222",
            "--agent-command=JAVA_OPTS=-Xmx1g", "--agent-command=JAVA_OPTS=$(id) cassandra-snapshotter",
            "--s3-sse-kms-key-id=", "--s3-sse-kms-key-id=alias/two words", "--s3-sse-kms-key-id=key\tid"})
    void badEndpointsSshHostsAndAgentCommandsExitTwoWithOneLine(String bad) throws Exception {
        try (TestCluster cluster = TestCluster.start(work, SSH.keys(), "127.0.0.1")) {
            List<String> args = backup(cluster, "--keyspaces", "ks1");
            args.addAll(0, List.of("--s3-sse-kms-key-id", "alias/backups"));
            SnapshotterProcess.Result result = run(with(args, bad));

            assertEquals(2, result.exitStatus(), result.all());
            List<String> lines = result.stderr().strip().lines().toList();
            assertEquals(1, lines.size(), "one line: " + result.stderr());
            assertTrue(lines.get(0).startsWith("cassandra-snapshotter: invalid ")
                    || lines.get(0).startsWith("cassandra-snapshotter: --agent-command "), lines.get(0));
            assertNothingTouched(cluster);
        }
    }

    @Test
    void missingBucketExitsTwo() throws Exception {
        try (TestCluster cluster = TestCluster.start(work, SSH.keys(), "127.0.0.1")) {
            List<String> args = backup(cluster);
            args.subList(0, 2).clear(); // --s3-bucket-name <bucket>
            SnapshotterProcess.Result result = run(args);
            assertEquals(2, result.exitStatus(), result.all());
            assertTrue(result.stderr().contains("--s3-bucket-name"), result.stderr());
            assertNothingTouched(cluster);
        }
    }
}
