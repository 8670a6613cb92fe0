package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.PriorFile;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.crypto.KeyFile;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.testsupport.FlagBuiltRequests;
import io.github.cassandrasnapshotter.testsupport.RecordedRuns;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.validate.SnapshotName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whether a backup run takes a new snapshot or adds an incremental run, and which earlier files its agents
 * are offered, from what the bucket holds. The earlier runs are recorded as the backup route records them
 * (RecordedRuns), against S3Proxy; each test has its own base path.
 */
class BackupPlannerIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("backup-planner");
    static final Instant T0 = Instant.parse("2026-11-20T04:00:00Z");
    static final String ORDERS = "orders-0123456789abcdef0123456789abcdef";

    final RecordedRuns runs = new RecordedRuns(S3.client());

    static Instant hours(int h) {
        return T0.plus(h, ChronoUnit.HOURS);
    }

    static BackupPlan plan(Instant now, BackupRequest request) {
        return new BackupPlanner(Clock.fixed(now, ZoneOffset.UTC), S3.client(), new ObjectMapper(),
                new ProgressReporter(new PrintStream(OutputStream.nullOutputStream()), true)).plan(request);
    }

    /** The names of the files a host's agent is offered to copy rather than send. */
    static Set<String> offered(BackupPlan plan, String host) {
        return Set.copyOf(plan.jobFor(host).priorFiles().stream().map(PriorFile::name).toList());
    }

    @Test
    void aBasePathWithoutBackupsGetsANewSnapshotNamedForNow() {
        BackupPlan plan = plan(hours(0), FlagBuiltRequests.of(S3, "empty").backup("--hosts", "h1"));
        assertFalse(plan.incremental());
        assertEquals(SnapshotName.of(hours(0)), plan.snapshot());
        assertEquals(plan.snapshot(), plan.runId());
        assertEquals("no complete snapshot of these hosts, keyspaces and table", plan.choice().reason());
        assertEquals(Set.of(), offered(plan, "h1"));
    }

    @Test
    void theNewestCompleteSnapshotOfTheSameHostsAndKeyspacesIsReused() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "reuse");
        BackupRequest request = flags.backup("--hosts", "h1,h2", "--keyspaces", "shop,billing");
        String older = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        String reused = runs.snapshot(request, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write().snapshot();
        runs.incremental(request, reused, hours(2)).file("shop", ORDERS, "nb-3-big-Data.db").write();
        runs.snapshot(request, hours(3)).file("shop", ORDERS, "nb-4-big-Data.db").failedOn("h2").write(); // incomplete
        runs.snapshot(flags.backup("--hosts", "h1,h2", "--keyspaces", "shop"), hours(4))
                .file("shop", ORDERS, "nb-5-big-Data.db").write(); // other keyspaces

        // the same sets, in another order and with a repeat
        BackupPlan plan = plan(hours(5), flags.backup("--hosts", "h2,h1", "--keyspaces", "billing,shop,billing"));
        assertTrue(plan.incremental(), plan.choice().reason());
        assertEquals(reused, plan.snapshot());
        assertEquals(SnapshotName.of(hours(5)), plan.runId());
        assertEquals("snapshot " + reused + " (4h old, 1 incremental run) covers these hosts, keyspaces and table",
                plan.choice().reason());
        assertEquals(Set.of("nb-2-big-Data.db", "nb-3-big-Data.db"), offered(plan, "h1"),
                "everything the snapshot holds, its incremental runs too; nothing of " + older);
        assertEquals(offered(plan, "h1"), offered(plan, "h2"));
    }

    @Test
    void anotherTableExcludedTablesOrHostsTakeANewSnapshot() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "other");
        runs.snapshot(flags.backup("--hosts", "h1,h2", "--keyspaces", "shop"), hours(0))
                .file("shop", ORDERS, "nb-1-big-Data.db").write();

        for (BackupRequest other : List.of(flags.backup("--hosts", "h1,h2", "--keyspaces", "shop", "--table", "orders"),
                flags.backup("--hosts", "h1,h2", "--keyspaces", "shop", "--exclude-tables", "carts"),
                flags.backup("--hosts", "h1", "--keyspaces", "shop"),
                flags.backup("--hosts", "h1,h2"))) {
            BackupPlan plan = plan(hours(1), other);
            assertFalse(plan.incremental(), other.toString());
            assertEquals(SnapshotName.of(hours(1)), plan.snapshot());
        }
        assertTrue(plan(hours(1), flags.backup("--hosts", "h1,h2", "--keyspaces", "shop")).incremental());
    }

    @Test
    void aNewSnapshotIsOfferedTheFilesOfTheNewestCompleteSnapshotOfEachHost() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "recent");
        BackupRequest request = flags.backup("--hosts", "h1,h2", "--keyspaces", "shop");
        String snapshot = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        runs.incremental(request, snapshot, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write();

        BackupPlan plan = plan(hours(2), flags.backup("--hosts", "h1,h2", "--keyspaces", "shop", "--new-snapshot"));
        assertFalse(plan.incremental());
        assertEquals(SnapshotName.of(hours(2)), plan.snapshot());
        assertEquals("a new snapshot was asked for (--new-snapshot, or the daemon's snapshot schedule)",
                plan.choice().reason());
        assertEquals(Set.of("nb-1-big-Data.db", "nb-2-big-Data.db"), offered(plan, "h2"));
        assertEquals(List.of(new StorageKeys("recent").dataKey(snapshot, "h1", RecordedRuns.DATA + "/shop/" + ORDERS
                        + "/snapshots/" + snapshot + "/nb-1-big-Data.db", Compression.LZO)),
                plan.jobFor("h1").priorFiles().stream().map(PriorFile::key).filter(k -> k.endsWith("nb-1-big-Data.db.lzo"))
                        .toList(), "each host is offered its own objects");
    }

    @Test
    void maxSnapshotAgeAndMaxIncrementalRunsAskForANewSnapshot() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "limits");
        BackupRequest request = flags.backup("--hosts", "h1", "--keyspaces", "shop");
        String snapshot = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        runs.incremental(request, snapshot, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write();
        runs.incremental(request, snapshot, hours(2)).file("shop", ORDERS, "nb-3-big-Data.db").write();

        BackupPlan old = plan(hours(48), flags.backup("--hosts", "h1", "--keyspaces", "shop", "--max-snapshot-age", "2d"));
        assertFalse(old.incremental());
        assertEquals("snapshot " + snapshot + " is 2d old, --max-snapshot-age is 2d", old.choice().reason());
        assertTrue(plan(hours(47), flags.backup("--hosts", "h1", "--keyspaces", "shop", "--max-snapshot-age", "2d"))
                .incremental(), "younger than the limit");

        BackupPlan many = plan(hours(3), flags.backup("--hosts", "h1", "--keyspaces", "shop", "--max-incremental-runs", "2"));
        assertFalse(many.incremental());
        assertEquals("snapshot " + snapshot + " has 2 incremental runs, --max-incremental-runs is 2", many.choice().reason());
        assertTrue(plan(hours(3), flags.backup("--hosts", "h1", "--keyspaces", "shop", "--max-incremental-runs", "3"))
                .incremental(), "fewer runs than the limit");
    }

    @Test
    void anIncrementalRunIdComesAfterEveryEarlierRunEvenWithinTheSameSecond() {
        BackupRequest request = FlagBuiltRequests.of(S3, "same-second").backup("--hosts", "h1");
        String snapshot = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        String run = runs.incremental(request, snapshot, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write().runId();

        BackupPlan plan = plan(hours(1), request);
        assertEquals(snapshot, plan.snapshot());
        assertEquals(SnapshotName.of(SnapshotName.timeOf(run).plusSeconds(1)), plan.runId());
    }

    /** A record that cannot be used (someone wrote over it) keeps its snapshot from being reused: an older one is. */
    @Test
    void aSnapshotWithAnUnreadableManifestOrFileListIsNotReused() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "damaged");
        BackupRequest request = flags.backup("--hosts", "h1", "--keyspaces", "shop");
        String oldest = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        BackupPlan badList = runs.snapshot(request, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write();
        BackupPlan badManifest = runs.snapshot(request, hours(2)).file("shop", ORDERS, "nb-3-big-Data.db").write();
        StorageKeys keys = new StorageKeys("damaged");
        runs.overwrite(request, keys.runHostKey(badList.snapshot(), badList.runId(), "h1"), "{\"files\": [");
        runs.overwrite(request, keys.manifestKey(badManifest.snapshot()), "not json");

        BackupPlan plan = plan(hours(3), request);
        assertTrue(plan.incremental(), plan.choice().reason());
        assertEquals(oldest, plan.snapshot());
        assertEquals(Set.of(badManifest.snapshot()), plan.unreadableManifests(), "so the catalog does not list it as complete");
    }

    /** docs/compatibility.md: a run with --encryption-key-file never reuses a snapshot made without one, nor the reverse. */
    @Test
    void aRunWithAKeyFileNeverAddsToASnapshotWithoutOneNorTheReverse(@TempDir Path work) throws Exception {
        Path keyFile = work.resolve("backup.keys");
        KeyFile.create(keyFile, ClientKeys.generate());
        FlagBuiltRequests plain = FlagBuiltRequests.of(S3, "encrypted");
        FlagBuiltRequests encrypted = plain.withGlobal("--encryption-key-file", keyFile.toString());
        String without = runs.snapshot(plain.backup("--hosts", "h1"), hours(0))
                .file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();

        assertFalse(plan(hours(1), encrypted.backup("--hosts", "h1")).incremental());
        assertTrue(plan(hours(1), plain.backup("--hosts", "h1")).incremental(), "the same without a key file");

        String with = runs.snapshot(encrypted.backup("--hosts", "h1"), hours(2))
                .file("shop", ORDERS, "nb-2-big-Data.db").write().snapshot();
        assertEquals(with, plan(hours(3), encrypted.backup("--hosts", "h1")).snapshot());
        assertEquals(without, plan(hours(3), plain.backup("--hosts", "h1")).snapshot(), "the newer one is encrypted");
    }
}
