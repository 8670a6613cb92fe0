package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon: real scheduled backups against S3Proxy, and the lock between two daemons of one base path. */
class DaemonIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("scheduled");

    @TempDir
    Path work;

    @Test
    void twoDaemonsOfOneBasePathBackUpOnTheirScheduleButNeverAtTheSameTime() throws Exception {
        String base = "daemon/cluster";
        TestNode node = TestNode.create(work.resolve("node"), "127.0.0.1");
        node.addSampleTables();
        List<String> args = BackupArgs.global(S3.server(), S3.name(), base);
        args.addAll(List.of("daemon", "--hosts", "localhost", "--nodetool-path", node.nodetool().toString(),
                "--cassandra-conf-path", node.confDir().toString(), "--snapshot-cron", "* * * * * ?",
                "--incremental-cron", "none", "--quiet"));
        List<Process> daemons = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (String name : List.of("a", "b")) {
                Path out = work.resolve("daemon-" + name + ".out");
                daemons.add(SnapshotterProcess.start(work, args, S3ProxyServer.AWS_ENV, out));
                outputs.add(out);
            }
            // Processes, not routes in this JVM: wait for their results in the bucket, with a deadline.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (manifests(base) < 4 && Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            // What the daemons' runs recorded, read over JMX as an operator would (attached to each JVM).
            double complete = 0;
            double timed = 0;
            double stored = 0;
            double sent = 0;
            for (Process daemon : daemons) {
                Map<String, Double> counts = steadyMeterCounts(daemon);
                complete += counts.getOrDefault("snapshotterRuns.kind.snapshot.status.complete", 0.0);
                timed += counts.getOrDefault("snapshotterRunDuration.kind.snapshot.status.complete", 0.0);
                stored += counts.getOrDefault("snapshotterFilesStored.host.localhost", 0.0);
                sent += counts.getOrDefault("snapshotterBytesSent.host.localhost", 0.0);
            }
            long manifests = manifests(base);
            assertTrue(complete >= 1 && complete <= manifests, complete + " complete runs counted, " + manifests
                    + " manifests in the bucket");
            assertEquals(complete, timed, "each complete run timed");
            assertTrue(stored >= complete * node.liveFiles().size(), stored + " files stored in " + complete + " runs of "
                    + node.liveFiles().size() + " files");
            assertTrue(sent > 0, "bytes sent: " + sent);
        } finally {
            for (Process daemon : daemons) {
                SnapshotterProcess.stop(daemon, Duration.ofSeconds(60));
            }
        }
        assertTrue(manifests(base) >= 4, "scheduled backups completed: " + manifests(base));
        String all = Files.readString(outputs.get(0)) + Files.readString(outputs.get(1));
        assertTrue(all.contains("COMPLETE"), all);
        assertTrue(all.contains("backup skipped: another backup of this base path is running"),
                "fires that found a run going were skipped: " + all);
        // The node saw one backup at a time: every snapshot cleared before the next one was taken.
        String open = null;
        for (String call : node.nodetoolCalls()) {
            if (call.startsWith("snapshot -t ")) {
                assertEquals(null, open, "snapshot " + call + " taken while " + open + " was still running");
                open = call.substring("snapshot -t ".length()).split(" ")[0];
            } else if (call.startsWith("clearsnapshot -t ")) {
                assertEquals(open, call.substring("clearsnapshot -t ".length()));
                open = null;
            }
        }
    }

    @Test
    void sigtermDuringAnUploadStopsAtOnceAbortsItClearsTheSnapshotAndLeavesNoManifest() throws Exception {
        String base = "sigterm/cluster";
        TestNode node = TestNode.create(work.resolve("node"), "127.0.0.1");
        node.addSampleTables();
        // 30 MB at 1 MB/s in 12 MB parts: the upload opens after about 12 s and would take 30 s.
        node.addFile("ks1", "big-11111111111111111111111111111111", "nb-1-big-Data.db", 30L * 1024 * 1024, 5, true);
        List<String> args = BackupArgs.global(S3.server(), S3.name(), base);
        args.addAll(List.of("daemon", "--hosts", "localhost", "--nodetool-path", node.nodetool().toString(),
                "--cassandra-conf-path", node.confDir().toString(), "--snapshot-cron", "* * * * * ?",
                "--incremental-cron", "none", "--rate-limit", "1024", "--quiet"));
        Path out = work.resolve("daemon.out");
        Process daemon = SnapshotterProcess.start(work, args, S3ProxyServer.AWS_ENV, out);
        try {
            await("the big file's multipart upload is open", Duration.ofSeconds(90),
                    () -> openUploads(base).stream().anyMatch(key -> key.endsWith("/nb-1-big-Data.db.lzo")));
            assertTrue(SnapshotterProcess.stop(daemon, Duration.ofSeconds(45)).toSeconds() < 30,
                    "it stops at once rather than finishing a 30 s upload");
        } finally {
            daemon.destroyForcibly();
        }
        String report = Files.readString(out);
        assertTrue(report.contains("FAILED") && report.contains("asked to stop (SIGTERM)"), report);
        assertFalse(report.contains("COMPLETE"), report);
        assertEquals(List.of(), openUploads(base), "the stopped upload is aborted, none is left open");
        assertEquals(0, manifests(base), "no manifest.json for the stopped run");
        assertTrue(!node.hasSnapshots(), "the node's snapshot is cleared");
        assertEquals(List.of(), S3.objects().keys(base + "/_status/lock.json"), "the lock is released");
    }

    @Test
    void withARetentionRuleTheDaemonPurgesAfterEachCompleteSnapshot() throws Exception {
        String base = "retention/cluster";
        TestNode node = TestNode.create(work.resolve("node"), "127.0.0.1");
        node.addSampleTables();
        List<String> args = BackupArgs.global(S3.server(), S3.name(), base);
        args.addAll(List.of("daemon", "--hosts", "localhost", "--nodetool-path", node.nodetool().toString(),
                "--cassandra-conf-path", node.confDir().toString(), "--snapshot-cron", "*/2 * * * * ?",
                "--incremental-cron", "none", "--keep-last", "2", "--quiet"));
        Path out = work.resolve("daemon.out");
        Process daemon = SnapshotterProcess.start(work, args, S3ProxyServer.AWS_ENV, out);
        try {
            await("four snapshots purged down to two", Duration.ofSeconds(120), () -> {
                try {
                    return Files.readString(out).split("deleted 1 snapshot,", -1).length > 2;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        } finally {
            SnapshotterProcess.stop(daemon, Duration.ofSeconds(60));
        }
        String report = Files.readString(out);
        assertTrue(report.contains("after each complete snapshot, purge with --keep-last 2"), report);
        long taken = node.nodetoolCalls().stream().filter(call -> call.startsWith("snapshot -t ")).count();
        java.util.TreeSet<String> folders = S3.objects().snapshots(base);
        assertTrue(taken >= 4, taken + " snapshots taken");
        // Two kept, and at most one more: a snapshot completed as the daemon was stopped, before its purge.
        assertTrue(manifests(base) >= 2 && manifests(base) <= 3, manifests(base) + " complete snapshots left");
        // The unchanged files are stored once, by the first snapshot: its folder keeps what the kept ones
        // name, and every other purged folder is gone. No purged folder keeps a file list (a snapshot stopped
        // with the daemon may still have its own).
        List<String> withLists = folders.stream().filter(f -> S3.objects().keys(base + "/" + f + "/_runs/").stream()
                .anyMatch(k -> k.endsWith("/127.0.0.1.json") || k.endsWith("/localhost.json"))).toList();
        assertTrue(withLists.size() >= 2 && withLists.size() <= 3, "folders with file lists: " + withLists + " of " + folders);
        assertTrue(folders.size() <= withLists.size() + 1, "snapshot folders left: " + folders + " of " + taken);
    }

    /** The keys of the multipart uploads open under {@code base}, as the store lists them. */
    static List<String> openUploads(String base) {
        return S3.client().listMultipartUploads(b -> b.bucket(S3.name()).prefix(base + "/")).uploads().stream()
                .map(MultipartUpload::key).toList();
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    static long manifests(String base) {
        return S3.objects().keys(base + "/").stream().filter(k -> k.matches(".*/\\d{14}/manifest\\.json")).count();
    }

    /**
     * The counts of a daemon that goes on running: read until two reads in a row agree, so that a run
     * ending between the reads of its counter and of its timer does not show as half counted.
     */
    static Map<String, Double> steadyMeterCounts(Process process) throws Exception {
        Map<String, Double> previous = meterCounts(process);
        for (int attempt = 0; attempt < 20; attempt++) {
            Map<String, Double> counts = meterCounts(process);
            if (counts.equals(previous)) {
                return counts;
            }
            previous = counts;
        }
        throw new AssertionError("the meters never held still for two reads: " + previous);
    }

    /** The Count of every meter the process publishes over JMX, by the meter's JMX name. */
    static Map<String, Double> meterCounts(Process process) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(String.valueOf(process.pid()));
        try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(
                new javax.management.remote.JMXServiceURL(vm.startLocalManagementAgent()))) {
            javax.management.MBeanServerConnection server = jmx.getMBeanServerConnection();
            Map<String, Double> counts = new java.util.TreeMap<>();
            for (javax.management.ObjectName name : server.queryNames(
                    new javax.management.ObjectName("cassandra-snapshotter:*"), null)) {
                try {
                    counts.put(name.getKeyProperty("name"), ((Number) server.getAttribute(name, "Count")).doubleValue());
                } catch (javax.management.AttributeNotFoundException gauge) {
                    // a gauge: no count
                }
            }
            return counts;
        } finally {
            vm.detach();
        }
    }
}
