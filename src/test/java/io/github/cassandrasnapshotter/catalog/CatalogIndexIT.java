package io.github.cassandrasnapshotter.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupPlanner;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.testsupport.FlagBuiltRequests;
import io.github.cassandrasnapshotter.testsupport.RecordedRuns;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code _status/catalog.json}: what each backup run writes (through RecordedRuns, which records runs as
 * the backup route does), when list may trust it, and how a run makes it again when it is missing or stale.
 * Against S3Proxy; each test has its own base path.
 */
class CatalogIndexIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("catalog-index");
    static final Instant T0 = Instant.parse("2026-11-20T04:00:00Z");
    static final String ORDERS = "orders-0123456789abcdef0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    final RecordedRuns runs = new RecordedRuns(S3.client());
    final CatalogIndex index = new CatalogIndex(S3.client(), JSON);

    static Instant hours(int h) {
        return T0.plus(h, ChronoUnit.HOURS);
    }

    static BackupRequest request(String base) {
        return FlagBuiltRequests.of(S3, base).backup("--hosts", "h1,h2", "--keyspaces", "shop");
    }

    /** A complete snapshot of the base path's request, recorded with its catalog and status. */
    BackupPlan snapshot(String base, int hour) {
        return runs.snapshot(request(base), hours(hour)).file("shop", ORDERS, "nb-" + hour + "-big-Data.db").write();
    }

    static String catalogKey(String base) {
        return new StorageKeys(base).statusKey(StorageKeys.CATALOG);
    }

    static CatalogIndex.Catalog stored(String base) throws IOException {
        return JSON.readValue(S3.client().getObjectAsBytes(b -> b.bucket(S3.name()).key(catalogKey(base))).asByteArray(),
                CatalogIndex.Catalog.class);
    }

    static Optional<CatalogIndex.Catalog> trusted(String base) {
        return CatalogIndex.trusted(new BucketReader(S3.client(), S3.name(), JSON), new StorageKeys(base));
    }

    static List<String> names(CatalogIndex.Catalog catalog) {
        return catalog.snapshots().stream().map(BackupListing.Snapshot::name).toList();
    }

    /** The catalog a run of {@code plan} would write now. */
    CatalogIndex.Catalog afterRun(BackupPlan plan) throws IOException {
        return JSON.readValue(index.afterRun(plan).content(), CatalogIndex.Catalog.class);
    }

    @Test
    void eachRunListsTheCompleteSnapshotsNewestFirstWithTheirRunsAndNamesItself() throws IOException {
        BackupRequest request = request("written");
        String first = snapshot("written", 0).snapshot();
        String run = runs.incremental(request, first, hours(1)).file("shop", ORDERS, "nb-9-big-Data.db").write().runId();
        runs.snapshot(request, hours(2)).file("shop", ORDERS, "nb-2-big-Data.db").failedOn("h2").write(); // incomplete
        BackupPlan last = snapshot("written", 3);

        CatalogIndex.Catalog catalog = stored("written");
        assertEquals(CatalogIndex.FORMAT, catalog.format());
        assertEquals(last.runId(), catalog.updatedBy());
        assertEquals(List.of(last.snapshot(), first), names(catalog), "the incomplete snapshot is not listed");
        BackupListing.Snapshot withRun = catalog.snapshots().get(1);
        assertEquals(List.of(run), withRun.runs().stream().map(BackupListing.Run::runId).toList());
        assertEquals(BackupListing.Status.COMPLETE, withRun.runs().get(0).status());
        assertEquals(List.of("h1", "h2"), withRun.hosts());
        assertEquals(Optional.of(catalog), trusted("written"), "last-run.json names the run that wrote it");
    }

    @Test
    void aCatalogThatTheLastRunDidNotWriteIsNotTrustedAndIsMadeAgainFromTheManifests() throws IOException {
        String first = snapshot("stale", 0).snapshot();
        byte[] firstCatalog = S3.client().getObjectAsBytes(b -> b.bucket(S3.name()).key(catalogKey("stale"))).asByteArray();
        String second = snapshot("stale", 1).snapshot();
        // the second run's catalog write was lost; the first run's catalog stands beside the second run's last-run.json
        S3.client().putObject(b -> b.bucket(S3.name()).key(catalogKey("stale")), RequestBody.fromBytes(firstCatalog));
        assertEquals(Optional.empty(), trusted("stale"));

        BackupPlan third = snapshot("stale", 2);
        assertEquals(List.of(third.snapshot(), second, first), names(stored("stale")), "the second snapshot is back");
        assertTrue(trusted("stale").isPresent());
    }

    @Test
    void withoutACatalogTheNextRunReadsEveryManifest() throws IOException {
        String first = snapshot("missing", 0).snapshot();
        String second = snapshot("missing", 1).snapshot();
        S3.client().deleteObject(b -> b.bucket(S3.name()).key(catalogKey("missing")));
        assertEquals(Optional.empty(), trusted("missing"));

        BackupPlan third = snapshot("missing", 2);
        assertEquals(List.of(third.snapshot(), second, first), names(stored("missing")));
    }

    /** Trusted, it is the one object read: the other snapshots' entries are kept as they were, manifests unread. */
    @Test
    void aTrustedCatalogKeepsItsOtherEntriesWithoutReadingTheirManifests() throws IOException {
        String first = snapshot("kept", 0).snapshot();
        String second = snapshot("kept", 1).snapshot();
        S3.client().deleteObject(b -> b.bucket(S3.name()).key(new StorageKeys("kept").manifestKey(first)));

        BackupPlan third = snapshot("kept", 2);
        assertEquals(List.of(third.snapshot(), second, first), names(stored("kept")));
    }

    @Test
    void aCatalogOfAnotherFormatIsNotTrusted() throws IOException {
        BackupPlan run = snapshot("format", 0);
        S3.client().putObject(b -> b.bucket(S3.name()).key(catalogKey("format")), RequestBody.fromBytes(
                JSON.writeValueAsBytes(new CatalogIndex.Catalog("cassandra-snapshotter/catalog-0", run.runId(),
                        stored("format").snapshots()))));
        assertEquals(Optional.empty(), trusted("format"));
    }

    /** A manifest.json the run found unusable is left out, so list reads it and shows it as unreadable. */
    @Test
    void aSnapshotWhoseManifestTheRunCouldNotUseIsLeftOut() throws IOException {
        String first = snapshot("damaged", 0).snapshot();
        String second = snapshot("damaged", 1).snapshot();
        runs.overwrite(request("damaged"), new StorageKeys("damaged").manifestKey(second), "not json");

        BackupPlan next = new BackupPlanner(Clock.fixed(hours(2), ZoneOffset.UTC), S3.client(), JSON,
                new ProgressReporter(new PrintStream(OutputStream.nullOutputStream()), true)).plan(request("damaged"));
        assertEquals(List.of(first), names(afterRun(next)), "nor the run's own snapshot, which has no manifest yet");
    }

    @Test
    void aCatalogThatCouldNotBeWrittenIsRemoved() {
        BackupPlan run = snapshot("removed", 0);
        assertTrue(trusted("removed").isPresent());
        index.notWritten(run, "the store refused it");
        assertEquals(List.of(), S3.objects().keys(catalogKey("removed")));
    }
}
