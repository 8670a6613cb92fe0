package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input: one clear line, exit status 2, and no host contacted (the SSH server ran nothing). */
class BadInputIT {
    @TempDir
    Path work;

    private SnapshotterProcess.Result run(TestCluster cluster, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--user", "cassandra", "--sshport", String.valueOf(cluster.port()),
                "--ssh-known-hosts", cluster.knownHosts().toString(), "--nodetool-path", "bin/nodetool",
                "--cassandra-conf-path", "conf"));
        return SnapshotterProcess.run(work, all);
    }

    private static List<String> backup(String... backupArgs) {
        List<String> args = new ArrayList<>(List.of("--s3-bucket-name", "b", "--s3-base-path", "p",
                "--s3-endpoint", "http://127.0.0.1:9", "backup"));
        args.addAll(List.of(backupArgs));
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--keyspaces=ks;touch /tmp/snapshotter-pwned", "--table=a b", "--hosts=h1;rm",
            "--exclude-tables=$(id)", "--buffer-size=1", "--frobnicate", "--compression=zip", "--hosts=127.0.0.1,127.0.0.1"})
    void badValuesExitTwoWithOneLineBeforeAnyHostIsContacted(String bad) throws Exception {
        try (TestCluster cluster = TestCluster.start(work, TestSshServer.Keys.generate(work), "127.0.0.1")) {
            List<String> args = backup("--hosts", "127.0.0.1", "--keyspaces", "ks1", "--sshkey",
                    work.resolve("id_ecdsa").toString());
            args.add(bad);
            SnapshotterProcess.Result result = run(cluster, args);

            assertEquals(2, result.exitStatus(), result.all());
            List<String> lines = result.stderr().strip().lines().toList();
            assertEquals(1, lines.size(), "one line: " + result.stderr());
            assertTrue(lines.get(0).startsWith("cassandra-snapshotter: "), lines.get(0));
            assertTrue(cluster.allCommands().isEmpty(), "no host contacted: " + cluster.allCommands());
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
        try (TestCluster cluster = TestCluster.start(work, TestSshServer.Keys.generate(work), "127.0.0.1")) {
            String option = bad.substring(0, bad.indexOf('='));
            String value = bad.substring(bad.indexOf('=') + 1);
            List<String> args = backup("--hosts", "127.0.0.1", "--keyspaces", "ks1", "--agent-command", "cassandra-snapshotter",
                    "--sshkey", work.resolve("id_ecdsa").toString());
            args.addAll(0, List.of("--s3-sse-kms-key-id", "alias/backups"));
            args.set(args.indexOf(option) + 1, value);
            SnapshotterProcess.Result result = run(cluster, args);

            assertEquals(2, result.exitStatus(), result.all());
            List<String> lines = result.stderr().strip().lines().toList();
            assertEquals(1, lines.size(), "one line: " + result.stderr());
            assertTrue(lines.get(0).startsWith("cassandra-snapshotter: invalid ")
                    || lines.get(0).startsWith("cassandra-snapshotter: --agent-command "), lines.get(0));
            assertTrue(cluster.allCommands().isEmpty(), "no host contacted: " + cluster.allCommands());
        }
    }

    @Test
    void missingBucketExitsTwo() throws Exception {
        try (TestCluster cluster = TestCluster.start(work, TestSshServer.Keys.generate(work), "127.0.0.1")) {
            SnapshotterProcess.Result result = run(cluster,
                    List.of("--s3-base-path", "p", "backup", "--hosts", "127.0.0.1"));
            assertEquals(2, result.exitStatus(), result.all());
            assertTrue(result.stderr().contains("--s3-bucket-name"), result.stderr());
            assertTrue(cluster.allCommands().isEmpty());
        }
    }
}
