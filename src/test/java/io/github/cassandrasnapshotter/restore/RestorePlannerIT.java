package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.testsupport.FlagBuiltRequests;
import io.github.cassandrasnapshotter.testsupport.RecordedRuns;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a restore chooses from what the bucket holds: LATEST, a named snapshot, a point in time, the old
 * tool's layout, and the refusals. The runs are recorded as the backup route records them (RecordedRuns),
 * against S3Proxy; each test has its own base path.
 */
class RestorePlannerIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("restore-planner");
    static final Instant T0 = Instant.parse("2026-11-20T04:00:00Z");
    static final String ORDERS = "orders-0123456789abcdef0123456789abcdef";
    static final String INVOICES = "invoices-fedcba9876543210fedcba9876543210";

    final RecordedRuns runs = new RecordedRuns(S3.client());
    final RestorePlanner planner = new RestorePlanner(S3.client(), new ObjectMapper());

    static Instant hours(int h) {
        return T0.plus(h, ChronoUnit.HOURS);
    }

    /** The plan's files as host:keyspace/table-dir/name, in the plan's order. */
    static List<String> files(RestorePlan plan) {
        return plan.files().stream().map(f -> f.host() + ":" + f.keyspace() + "/" + f.tableDirectory() + "/" + f.name())
                .toList();
    }

    RestorePlan plan(String base, String... restoreFlags) {
        return planner.plan(FlagBuiltRequests.of(S3, base).restore(restoreFlags));
    }

    RestoreException refused(String base, String... restoreFlags) {
        return assertThrows(RestoreException.class, () -> plan(base, restoreFlags));
    }

    @Test
    void latestIsTheNewestCompleteSnapshotThatHoldsTheKeyspace() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "latest");
        BackupRequest shop = flags.backup("--hosts", "h1,h2", "--keyspaces", "shop");
        String older = runs.snapshot(shop, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        runs.snapshot(shop, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").failedOn("h2").write(); // incomplete
        String billing = runs.snapshot(flags.backup("--hosts", "h1,h2", "--keyspaces", "billing"), hours(2))
                .file("billing", INVOICES, "nb-3-big-Data.db").write().snapshot();

        RestorePlan latestShop = plan("latest", "--keyspace", "shop");
        assertEquals(older, latestShop.snapshot(), "the newer snapshot of shop is incomplete");
        assertEquals(List.of(older), latestShop.runs());
        assertEquals(List.of("h1:shop/" + ORDERS + "/nb-1-big-Data.db", "h2:shop/" + ORDERS + "/nb-1-big-Data.db"),
                files(latestShop));
        assertEquals(billing, plan("latest", "--keyspace", "billing").snapshot());
        assertEquals(List.of("h2:shop/" + ORDERS + "/nb-1-big-Data.db"),
                files(plan("latest", "--keyspace", "shop", "--hosts", "h2")), "--hosts picks the source hosts");
    }

    @Test
    void aNamedSnapshotBringsBackItsOwnFilesAndEveryIncrementalRun() {
        FlagBuiltRequests flags = FlagBuiltRequests.of(S3, "named");
        BackupRequest request = flags.backup("--hosts", "h1", "--keyspaces", "shop");
        String first = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        String run = runs.incremental(request, first, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write().runId();
        String second = runs.snapshot(request, hours(2)).file("shop", ORDERS, "nb-3-big-Data.db").write().snapshot();

        RestorePlan named = plan("named", "--snapshot-name", first, "--keyspace", "shop");
        assertEquals(first, named.snapshot());
        assertEquals(List.of(first, run), named.runs());
        assertEquals(List.of("h1:shop/" + ORDERS + "/nb-1-big-Data.db", "h1:shop/" + ORDERS + "/nb-2-big-Data.db"),
                files(named));
        assertEquals(second, plan("named", "--keyspace", "shop").snapshot(), "LATEST is the newer one");
    }

    @Test
    void aPointInTimeTakesTheRunsUpToItByRunIdOrIsoTime() {
        BackupRequest request = FlagBuiltRequests.of(S3, "pit").backup("--hosts", "h1", "--keyspaces", "shop");
        String snapshot = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();
        String early = runs.incremental(request, snapshot, hours(1)).file("shop", ORDERS, "nb-2-big-Data.db").write().runId();
        String late = runs.incremental(request, snapshot, hours(3)).file("shop", ORDERS, "nb-3-big-Data.db").write().runId();

        assertEquals(List.of(snapshot, early), plan("pit", "--keyspace", "shop", "--point-in-time", early).runs());
        RestorePlan byTime = plan("pit", "--keyspace", "shop", "--point-in-time", hours(2).toString());
        assertEquals(List.of(snapshot, early), byTime.runs());
        assertEquals(List.of("h1:shop/" + ORDERS + "/nb-1-big-Data.db", "h1:shop/" + ORDERS + "/nb-2-big-Data.db"),
                files(byTime));
        assertEquals(List.of(snapshot, early, late), plan("pit", "--keyspace", "shop").runs(), "no point in time: every run");

        RestoreException before = refused("pit", "--keyspace", "shop", "--point-in-time", hours(-1).toString());
        assertEquals("--point-in-time " + hours(-1) + " is before snapshot " + snapshot + " was taken", before.getMessage());
        RestoreException neither = refused("pit", "--keyspace", "shop", "--point-in-time", "yesterday");
        assertEquals("--point-in-time 'yesterday' is neither a run id (YYYYmmddHHMMSS) nor a time such as "
                + "2026-11-24T04:00:00Z", neither.getMessage());
    }

    @Test
    void anIncompleteOrMissingSnapshotIsRefusedWithWhatToDo() {
        BackupRequest request = FlagBuiltRequests.of(S3, "refused").backup("--hosts", "h1,h2", "--keyspaces", "shop");
        BackupPlan incomplete = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").failedOn("h2").write();

        assertEquals("snapshot " + incomplete.snapshot() + " is incomplete (it has no manifest.json): restore a "
                + "complete one ('list' shows them)",
                refused("refused", "--snapshot-name", incomplete.snapshot(), "--keyspace", "shop").getMessage());
        assertEquals("snapshot 20261119000000 not found under s3://" + S3.name() + "/refused/ ('list' shows the "
                + "snapshots there)", refused("refused", "--snapshot-name", "20261119000000", "--keyspace", "shop").getMessage());
        assertEquals("no complete snapshot under s3://" + S3.name() + "/refused/ holds keyspace shop ('list' shows the "
                + "snapshots there)", refused("refused", "--keyspace", "shop").getMessage());
    }

    @Test
    void aSnapshotThatDoesNotHoldTheKeyspaceOrHostsIsRefusedNamingWhatItHas() {
        BackupRequest request = FlagBuiltRequests.of(S3, "other").backup("--hosts", "h1", "--keyspaces", "shop");
        String snapshot = runs.snapshot(request, hours(0)).file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot();

        assertEquals("snapshot " + snapshot + " does not hold keyspace billing (it has hosts [h1], keyspaces [shop])",
                refused("other", "--snapshot-name", snapshot, "--keyspace", "billing").getMessage());
        assertEquals("snapshot " + snapshot + " does not hold keyspace shop of hosts h9 (it has hosts [h1], keyspaces [shop])",
                refused("other", "--snapshot-name", snapshot, "--keyspace", "shop", "--hosts", "h9").getMessage());
    }

    /**
     * cassandra_snapshotter 1.2.0's layout (docs/compatibility.md): a manifest.json with its five keys only
     * and {@code <base>/<snapshot>/<host>/<path>.lzo} objects, no file lists. Typed as that tool wrote it.
     */
    @Test
    void theOldToolsSnapshotIsReadFromItsKeys() {
        String snapshot = "20200101000000";
        String prefix = "old/" + snapshot + "/";
        put(prefix + "manifest.json", "{\"name\": \"" + snapshot + "\", \"base_path\": \"old\", \"hosts\": [\"10.0.0.1\"], "
                + "\"keyspaces\": null, \"table\": \"\"}");
        String folder = prefix + "10.0.0.1" + RecordedRuns.DATA + "/shop/" + ORDERS + "/snapshots/" + snapshot + "/";
        put(folder + "nb-1-big-Data.db.lzo", "lzop bytes");
        put(folder + "nb-1-big-Index.db.lzo", "lzop bytes, longer");
        put(prefix + "10.0.0.1" + RecordedRuns.DATA + "/billing/" + INVOICES + "/snapshots/" + snapshot
                + "/nb-7-big-Data.db.lzo", "lzop");

        RestorePlan plan = plan("old", "--keyspace", "shop");
        assertEquals(snapshot, plan.snapshot());
        assertEquals(List.of(snapshot), plan.runs());
        assertEquals(List.of("10.0.0.1:shop/" + ORDERS + "/nb-1-big-Data.db", "10.0.0.1:shop/" + ORDERS + "/nb-1-big-Index.db"),
                files(plan));
        assertEquals(List.of(10L, 18L), plan.files().stream().map(RestoreFile::storedSize).toList(), "sizes from the listing");
        assertTrue(plan.notes().get(0).startsWith("snapshot " + snapshot + " was written by cassandra_snapshotter 1.x"),
                plan.notes().toString());
        assertEquals("snapshot " + snapshot + " has no incremental runs recorded: --point-in-time needs a backup made "
                + "by this tool", refused("old", "--keyspace", "shop", "--point-in-time", "20200102000000").getMessage());
    }

    static void put(String key, String content) {
        S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromString(content));
    }
}
