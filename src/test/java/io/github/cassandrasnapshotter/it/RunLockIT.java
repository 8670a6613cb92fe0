package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The base path's lock against S3Proxy, in runs long enough for several renewals (a rate-limited
 * upload, a lock TTL of seconds): the lock moves on while a run goes, a second backup meanwhile is
 * skipped, a run whose renewal is refused (someone overwrote the lock) stops without its manifest, and a
 * run that ends before it could notice such a write leaves the other lock in place (its release's If-Match).
 *
 * <p>S3Proxy 4.1.0 refuses a PUT or DELETE whose If-Match does not hold (412), but checks it by reading
 * the object's ETag and then writing, not atomically: a write that lands between another writer's check
 * and write is not refused there, as S3 would. These tests overwrite the lock between two writes of the
 * run, which S3Proxy does refuse; the race itself is covered only by RunLockTest's store.
 */
class RunLockIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("locks");
    static final ObjectMapper JSON = new ObjectMapper();
    /** A short TTL so that a run of seconds outlives several renewals. */
    static final List<String> FAST_LOCK = List.of("--lock-ttl", "6", "--lock-renewal", "1");

    @TempDir
    Path work;

    List<String> backup(String base, TestNode node, String... extra) {
        List<String> args = BackupArgs.global(S3.server(), S3.name(), base);
        args.addAll(List.of("backup", "--hosts", "localhost", "--nodetool-path", node.nodetool().toString(),
                "--cassandra-conf-path", node.confDir().toString()));
        args.addAll(List.of(extra));
        return args;
    }

    /** A node whose upload takes about 12 s at 100 KB/s (1.2 MB of random bytes). */
    TestNode slowNode() throws Exception {
        TestNode node = TestNode.create(work.resolve("node"), "127.0.0.1");
        node.addSampleTables();
        node.addFile("ks1", "big-11111111111111111111111111111111", "nb-1-big-Data.db", 1200L * 1024, 5, true);
        return node;
    }

    @Test
    void aLongRunRenewsItsLockAndASecondBackupMeanwhileIsSkipped() throws Exception {
        String base = "renewed/cluster";
        String lockKey = base + "/_status/lock.json";
        TestNode node = slowNode();
        List<String> args = backup(base, node, "--rate-limit", "100");
        args.addAll(FAST_LOCK);
        Path out = work.resolve("first.out");
        Process first = SnapshotterProcess.start(work, args, S3ProxyServer.AWS_ENV, out);
        try {
            await("the first run takes the lock", Duration.ofSeconds(60), () -> head(lockKey).isPresent());
            Set<Instant> lastModified = new LinkedHashSet<>();
            Set<String> expires = new LinkedHashSet<>();
            await("three renewals of the lock", Duration.ofSeconds(30), () -> {
                head(lockKey).ifPresent(h -> lastModified.add(h.lastModified()));
                lockContent(lockKey).ifPresent(c -> expires.add(c.get("expires").asText()));
                return lastModified.size() >= 4 && expires.size() >= 4;
            });
            assertTrue(first.isAlive(), "the first run is still uploading: " + Files.readString(out));

            SnapshotterProcess.Result second = SnapshotterProcess.run(work, backup(base, node), S3ProxyServer.AWS_ENV);
            assertEquals(1, second.exitStatus(), second.all());
            assertTrue(second.stdout().startsWith("backup skipped: another backup of this base path is running (backup of "
                    + "localhost by "), second.stdout());
            assertTrue(first.isAlive(), "the second was skipped while the first ran, not after it");

            assertTrue(first.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the first run ends");
            assertEquals(0, first.exitValue(), Files.readString(out));
        } finally {
            first.destroyForcibly();
        }
        assertEquals(1, S3.objects().snapshots(base).size(), "one snapshot: the second run touched nothing");
        assertEquals(List.of(), S3.objects().keys(lockKey), "the lock is released when the run ends");
        assertFalse(node.hasSnapshots());
    }

    /** A slow backup whose lock another taker overwrites once it holds it and uploads, run to its end. */
    record Overwritten(TestNode node, String lockKey, String otherLock, String report, int exitStatus) {
    }

    Overwritten overwrittenDuringARun(String base, String otherOwner, List<String> lockFlags) throws Exception {
        String lockKey = base + "/_status/lock.json";
        TestNode node = slowNode();
        List<String> args = backup(base, node, "--rate-limit", "100");
        args.addAll(lockFlags);
        Path out = work.resolve(base.replace('/', '-') + ".out");
        Process run = SnapshotterProcess.start(work, args, S3ProxyServer.AWS_ENV, out);
        String other = "{\"owner\":\"" + otherOwner + "\",\"run\":\"backup of elsewhere\",\"acquired\":\"2026-01-01T00:00:00Z\","
                + "\"expires\":\"2099-01-01T00:00:00Z\",\"ttl_seconds\":3600}";
        try {
            await("the run takes the lock and uploads", Duration.ofSeconds(60),
                    () -> head(lockKey).isPresent() && node.hasSnapshotsQuietly());
            // Someone else writes the lock (an operator, a run that judged it expired).
            S3.client().putObject(b -> b.bucket(S3.name()).key(lockKey), RequestBody.fromString(other));
            assertTrue(run.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the run ends");
        } finally {
            run.destroyForcibly();
        }
        return new Overwritten(node, lockKey, other, Files.readString(out), run.exitValue());
    }

    @Test
    void aRunWhoseRenewalIsRefusedStopsWithoutItsManifestAndLeavesTheOtherLockAlone() throws Exception {
        String base = "overwritten/cluster";
        // The next renewal's If-Match fails.
        Overwritten run = overwrittenDuringARun(base, "other-host/7/y", FAST_LOCK);
        String lockKey = run.lockKey();
        String other = run.otherLock();
        TestNode node = run.node();
        String report = run.report();
        assertEquals(1, run.exitStatus(), report);
        assertTrue(report.contains("FAILED in"), report);
        assertTrue(report.contains("run stopped: this run lost the lock of its base path (s3://" + S3.name() + "/"
                + lockKey + "): its renewal was refused: someone else wrote the lock"), report);
        assertTrue(report.contains("it now names backup of elsewhere by other-host/7/y"), report);
        assertTrue(report.contains("no manifest.json written"), report);
        String snapshot = S3.objects().snapshots(base).first();
        assertEquals(List.of(), S3.objects().keys(base + "/" + snapshot + "/manifest.json"), "no complete mark");
        JsonNode summary = JSON.readTree(S3.objects().text(base + "/" + snapshot + "/_runs/" + snapshot + "/summary.json"));
        assertEquals("FAILED", summary.get("status").asText(), summary.toString());
        assertEquals(List.of(), S3.objects().keys(base + "/_status/last-run.json"), "the status is the lock holder's");
        assertEquals(other, S3.objects().text(lockKey), "the other writer's lock is neither renewed nor released");
        assertFalse(node.hasSnapshots(), "the snapshot is cleared");
    }

    @Test
    void aRunDoesNotReleaseALockSomeoneElseWroteAfterItsLastRenewal() throws Exception {
        // No renewal during the run: it cannot learn of the other write before it releases the lock.
        Overwritten run = overwrittenDuringARun("released/cluster", "other-host/9/w",
                List.of("--lock-ttl", "600", "--lock-renewal", "200"));
        String lockKey = run.lockKey();
        String other = run.otherLock();
        String report = run.report();
        assertEquals(List.of(lockKey), S3.objects().keys(lockKey),
                "the release (If-Match on the run's last write) leaves the other writer's lock alone: " + report);
        assertEquals(other, S3.objects().text(lockKey), "the other writer's lock as it wrote it");
        assertFalse(run.node().hasSnapshots(), "the run ended with its cleanup");
    }

    @Test
    void anIncrementalRunThatLosesItsLockStopsItsAgentBeforeItRemovesALink() throws Exception {
        String base = "fenced/cluster";
        String lockKey = base + "/_status/lock.json";
        TestNode node = TestNode.create(work.resolve("fenced-node"), "127.0.0.1");
        node.addSampleTables();
        SnapshotterProcess.Result first = SnapshotterProcess.run(work, backup(base, node), S3ProxyServer.AWS_ENV);
        assertEquals(0, first.exitStatus(), first.all());
        String users = "users-0123456789abcdef0123456789abcdef";
        java.util.Set<Path> links = new java.util.TreeSet<>(node.addFlushedSstable("ks1", users, 5, 50));
        // 1.2 MB that LZO cannot shrink at 100 KB/s: about 12 s of upload once the flush is done.
        Path big = node.addFile("ks1", users, "nb-6-big-Data.db", 1200L * 1024, 6, true);
        links.add(Files.createLink(big.getParent().resolve("backups").resolve(big.getFileName()), big));

        List<String> args = backup(base, node, "--rate-limit", "100");
        args.addAll(FAST_LOCK);
        Path out = work.resolve("fenced.out");
        Process run = SnapshotterProcess.start(work, args, S3ProxyServer.AWS_ENV, out);
        try {
            await("the incremental run takes the lock and flushes", Duration.ofSeconds(60),
                    () -> head(lockKey).isPresent() && nodetoolFlushed(node));
            S3.client().putObject(b -> b.bucket(S3.name()).key(lockKey), RequestBody.fromString(
                    "{\"owner\":\"other-host/8/z\",\"run\":\"backup of elsewhere\",\"ttl_seconds\":3600}"));
            assertTrue(run.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the run ends");
        } finally {
            run.destroyForcibly();
        }
        String report = Files.readString(out);
        assertEquals(1, run.exitValue(), report);
        assertTrue(report.contains("this run lost the lock of its base path"), report);
        assertEquals(links, new java.util.TreeSet<>(node.backupLinks()),
                "a link was removed after the run lost its lock: " + report);
    }

    static boolean nodetoolFlushed(TestNode node) {
        try {
            return node.nodetoolCalls().stream().anyMatch(c -> c.startsWith("flush"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(S3.client().headObject(b -> b.bucket(S3.name()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static Optional<JsonNode> lockContent(String key) {
        try {
            return Optional.of(JSON.readTree(S3.objects().text(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How long ago the store last wrote {@code key}, by the store's clock (its Date against the Last-Modified). */
    static Duration ageByStoreClock(software.amazon.awssdk.services.s3.S3Client s3, String bucket, String key) {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
        Instant now = ZonedDateTime.parse(head.sdkHttpResponse().firstMatchingHeader("Date").orElseThrow(),
                DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return Duration.between(head.lastModified(), now);
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(100);
        }
    }
}
