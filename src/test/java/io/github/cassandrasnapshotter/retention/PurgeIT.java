package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.manifest.PurgeReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.backup.RunLocks;
import io.github.cassandrasnapshotter.catalog.BackupLister;
import io.github.cassandrasnapshotter.catalog.BackupListing;
import io.github.cassandrasnapshotter.storage.LockHeldException;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.FlagBuiltRequests;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.RecordedRuns;
import io.github.cassandrasnapshotter.testsupport.RefusingProxy;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code purge} against S3Proxy, on histories recorded as the backup route records them, with their
 * objects: what goes, what stays (byte for byte, by key and size), and a purge that died halfway.
 * Each test has its own base path.
 */
class PurgeIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("purge");
    static final String ORDERS = "orders-0123456789abcdef0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    final RecordedRuns runs = new RecordedRuns(S3.client());
    final Purge purge = new Purge(S3.client(), JSON, Clock.systemUTC());

    static BackupRequest request(String base) {
        return FlagBuiltRequests.of(S3, base).backup("--hosts", "h1,h2", "--keyspaces", "shop");
    }

    static Instant daysAgo(double days) {
        return NOW.minusSeconds((long) (days * 86_400));
    }

    /** A snapshot of h1 and h2 with two files each, and their objects; {@code failedOn} makes it incomplete. */
    String snapshot(String base, double daysAgo, String... failedOn) {
        RecordedRuns.Run run = runs.snapshot(request(base), daysAgo(daysAgo)).withObjects()
                .file("shop", ORDERS, "nb-1-big-Data.db").file("shop", ORDERS, "nb-1-big-Index.db");
        for (String host : failedOn) {
            run.failedOn(host);
        }
        return run.write().snapshot();
    }

    /** Every object under the base path, key → size. */
    static Map<String, Long> objects(String base) {
        return S3.client().listObjectsV2Paginator(b -> b.bucket(S3.name()).prefix(base + "/")).contents().stream()
                .collect(Collectors.toMap(S3Object::key, S3Object::size, (a, b) -> a, TreeMap::new));
    }

    static Map<String, Long> under(Map<String, Long> objects, String base, String snapshot) {
        String prefix = new StorageKeys(base).snapshotPrefix(snapshot);
        return objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    static List<String> listed(String base) throws InterruptedException {
        BackupListing listing = new BackupLister(S3.client(), JSON).list(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1").s3());
        return listing.snapshots().stream().map(BackupListing.Snapshot::name).sorted().toList();
    }

    /** A snapshot of cassandra_snapshotter 1.2.0: its keys and a manifest of the old tool's five keys. */
    static String legacySnapshot(String base, double daysAgo) {
        String name = io.github.cassandrasnapshotter.validate.SnapshotName.of(daysAgo(daysAgo));
        String prefix = new StorageKeys(base).snapshotPrefix(name);
        S3.client().putObject(b -> b.bucket(S3.name()).key(prefix + "h1" + RecordedRuns.DATA + "/shop/" + ORDERS
                + "/snapshots/" + name + "/nb-1-big-Data.db.lzo"), RequestBody.fromBytes(new byte[300]));
        S3.client().putObject(b -> b.bucket(S3.name()).key(prefix + "manifest.json"), RequestBody.fromString(
                "{\"name\":\"" + name + "\",\"base_path\":\"" + base + "\",\"hosts\":[\"h1\"],\"keyspaces\":[\"shop\"],\"table\":\"\"}"));
        return name;
    }

    /** Adds to a kept snapshot's file list of h1 an entry naming {@code key}, as a snapshot that refers to a stored object would. */
    static void refer(String base, String snapshot, String key) throws Exception {
        String listKey = new StorageKeys(base).runHostKey(snapshot, snapshot, "h1");
        ObjectNode list = (ObjectNode) JSON.readTree(S3.objects().text(listKey));
        ArrayNode files = (ArrayNode) list.get("files");
        ObjectNode reference = files.get(0).deepCopy();
        reference.put("key", key);
        files.add(reference);
        S3.client().putObject(b -> b.bucket(S3.name()).key(listKey), RequestBody.fromBytes(JSON.writeValueAsBytes(list)));
    }

    @Test
    void keepLastDeletesTheOldSnapshotsWholeAndLeavesEveryKeptObject() throws Exception {
        String base = "history";
        String s1 = snapshot(base, 10);
        String s2 = snapshot(base, 8);
        BackupPlan incremental = runs.incremental(request(base), s2, daysAgo(7.9)).withObjects()
                .file("shop", ORDERS, "nb-2-big-Data.db").write();
        String s3 = snapshot(base, 6, "h2");
        String s4 = snapshot(base, 4);
        String s5 = snapshot(base, 2);
        String s6 = snapshot(base, 1);
        String s7 = snapshot(base, 0.1, "h2");
        String legacy = legacySnapshot(base, 20);
        Map<String, Long> before = objects(base);
        assertTrue(under(before, base, incremental.snapshot()).keySet().stream().anyMatch(k -> k.contains("/backups/")),
                "the incremental run's objects are in the history");

        PurgeReport dry = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "3", "--dry-run"));
        assertEquals(before, objects(base), "--dry-run deleted nothing");
        assertEquals(List.of(s1, s2, s3), dry.purged());

        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "3"));
        Map<String, Long> after = objects(base);
        assertEquals(List.of(s1, s2, s3), report.purged());
        assertTrue(report.ok(), report.notDeleted().toString());
        for (String kept : List.of(s4, s5, s6, s7, legacy)) {
            assertEquals(under(before, base, kept), under(after, base, kept), "every object of " + kept + " as it was");
        }
        assertEquals(Map.of(), under(after, base, s1));
        assertEquals(Map.of(), under(after, base, s2), s2 + " and its incremental run are gone");
        assertEquals(Map.of(), under(after, base, s3), "the incomplete snapshot older than 2 days is gone");
        long gone = before.keySet().stream().filter(k -> !after.containsKey(k))
                .filter(k -> !k.contains("/" + StorageKeys.STATUS + "/")).count();
        assertEquals(gone, report.objectsDeleted(), "the report counts what went");
        assertEquals(dry.objectsDeleted(), report.objectsDeleted(), "the dry run said what would go");
        assertEquals(dry.bytesDeleted(), report.bytesDeleted(), "and how many bytes");
        assertEquals(before.entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                .filter(e -> !e.getKey().contains("/" + StorageKeys.STATUS + "/")).mapToLong(Map.Entry::getValue).sum(),
                report.bytesDeleted(), "the bytes of what went");
        assertEquals(List.of(s4, s5, s6, s7, legacy).stream().sorted().toList(), listed(base));
        assertTrue(report.kept().get(legacy).get(0).contains("--include-legacy"), report.kept().toString());
        assertTrue(report.kept().get(s7).get(0).startsWith("incomplete, within"), report.kept().toString());
        assertFalse(after.containsKey(new StorageKeys(base).statusKey(PurgeRecord.KEY)), "purge.json removed once done");
        assertTrue(after.containsKey(new StorageKeys(base).statusKey(StorageKeys.LAST_PURGE)), "the report is stored");

        PurgeReport again = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "3"));
        assertEquals(List.of(), again.purged(), "nothing is left to purge");
        assertEquals(after.keySet().stream().filter(k -> !k.contains("/_status/")).toList(),
                objects(base).keySet().stream().filter(k -> !k.contains("/_status/")).toList());
    }

    @Test
    void aSnapshotOfMoreObjectsThanOneBatchGoesWholeWhileItIsListedPageByPage() throws Exception {
        String base = "large";
        String s1 = snapshot(base, 2);
        String s2 = snapshot(base, 1);
        String folder = new StorageKeys(base).snapshotPrefix(s1) + "h1" + RecordedRuns.DATA + "/shop/" + ORDERS
                + "/snapshots/" + s1 + "/";
        // 2,500 objects: three DeleteObjects batches, and three listing pages deleted under the listing.
        java.util.concurrent.ExecutorService puts = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            String key = folder + "nb-" + (1000 + i) + "-big-Data.db.lzo";
            done.add(puts.submit(() -> S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromBytes(new byte[1]))));
        }
        for (java.util.concurrent.Future<?> put : done) {
            put.get();
        }
        puts.shutdown();
        Map<String, Long> before = objects(base);

        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1"));
        assertTrue(report.ok(), report.notDeleted().toString());
        assertEquals(under(before, base, s1).size(), report.objectsDeleted());
        assertEquals(Map.of(), under(objects(base), base, s1));
        assertEquals(under(before, base, s2), under(objects(base), base, s2));
    }

    @Test
    void eachSelectionOfTheBasePathKeepsItsOwnSnapshots() throws Exception {
        String base = "selections";
        String billing = runs.snapshot(FlagBuiltRequests.of(S3, base).backup("--hosts", "h1,h2", "--keyspaces", "billing"),
                daysAgo(5)).withObjects().file("billing", ORDERS, "nb-1-big-Data.db").write().snapshot();
        String s1 = snapshot(base, 3);
        String s2 = snapshot(base, 2);
        String s3 = snapshot(base, 1);
        Map<String, Long> before = objects(base);

        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1"));
        assertEquals(List.of(s1, s2), report.purged(), "the only snapshot of keyspace billing stays");
        assertEquals(under(before, base, billing), under(objects(base), base, billing));
        assertEquals(under(before, base, s3), under(objects(base), base, s3));
    }

    @Test
    void anObjectAKeptFileListNamesStaysWhenItsSnapshotIsPurged() throws Exception {
        String base = "references";
        String s1 = snapshot(base, 3);
        String s2 = snapshot(base, 2);
        String s3 = snapshot(base, 1);
        String referenced = under(objects(base), base, s1).keySet().stream()
                .filter(k -> k.contains("/h1/") && k.endsWith("Data.db.lzo")).findFirst().orElseThrow();
        refer(base, s2, referenced);
        Map<String, Long> before = objects(base);

        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        Map<String, Long> after = objects(base);
        assertEquals(List.of(s1), report.purged());
        assertEquals(1, report.referenced());
        assertEquals(java.util.Set.of(referenced, new StorageKeys(base).purgedKey(s1)), under(after, base, s1).keySet(),
                "of " + s1 + " only the object " + s2 + " names is left, and the tombstone");
        assertEquals(before.get(referenced), after.get(referenced));
        assertEquals(under(before, base, s2), under(after, base, s2));
        assertEquals(under(before, base, s3), under(after, base, s3));
    }

    @Test
    void aPurgeThatDiedAfterTheManifestIsFinishedByTheNext() throws Exception {
        String base = "resume";
        // Within --incomplete-grace: without its record, s2 (no manifest.json) would be kept as incomplete.
        String s1 = snapshot(base, 1.5);
        String s2 = snapshot(base, 1);
        String s3 = snapshot(base, 0.5);
        StorageKeys keys = new StorageKeys(base);
        // What a purge leaves when it dies after step 3: its record, and s2 without its manifest.json.
        // It had also named s3, whose manifest.json it had not reached: today's rules keep s3.
        S3.client().putObject(b -> b.bucket(S3.name()).key(keys.statusKey(PurgeRecord.KEY)), RequestBody.fromBytes(
                JSON.writeValueAsBytes(new PurgeRecord(PurgeRecord.FORMAT, NOW.toString(), List.of(s2, s3)))));
        S3.client().deleteObject(b -> b.bucket(S3.name()).key(keys.manifestKey(s2)));
        Map<String, Long> before = objects(base);

        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "5"));
        Map<String, Long> after = objects(base);
        assertEquals(List.of(s2), report.purged(), "the rules keep s1 and s3; the record finishes s2 only");
        assertEquals(Map.of(), under(after, base, s2));
        assertEquals(under(before, base, s1), under(after, base, s1));
        assertEquals(under(before, base, s3), under(after, base, s3));
        assertFalse(after.containsKey(keys.statusKey(PurgeRecord.KEY)));
    }

    /** A purge of {@code base} through a proxy that refuses what {@code refused} matches. */
    static PurgeReport purgeRefusing(String base, java.util.function.Predicate<String> refused, String... flags)
            throws Exception {
        java.net.URI store = java.net.URI.create(S3.endpoint());
        try (RefusingProxy proxy = new RefusingProxy(new java.net.InetSocketAddress(store.getHost(), store.getPort()), refused)) {
            PurgeRequest request = FlagBuiltRequests.through(S3, base, proxy.endpoint()).purge(flags);
            try (S3Client client = S3ClientFactory.create(request.s3(), 8)) {
                PurgeReport report = new Purge(client, JSON, Clock.systemUTC()).run(request);
                assertFalse(proxy.refusedRequests().isEmpty(), "the proxy refused what the test meant it to");
                return report;
            }
        }
    }

    @Test
    void aSnapshotWhoseManifestCannotBeDeletedKeepsEveryObject() throws Exception {
        String base = "manifest-refused";
        String s1 = snapshot(base, 3);
        String s2 = snapshot(base, 2);
        String s3 = snapshot(base, 1);
        StorageKeys keys = new StorageKeys(base);
        Map<String, Long> before = objects(base);

        PurgeReport report = purgeRefusing(base, line -> line.startsWith("DELETE ")
                && line.split(" ")[1].contains(keys.manifestKey(s1)), "--keep-last", "1");
        Map<String, Long> after = objects(base);
        assertFalse(report.ok());
        assertTrue(report.names(keys.manifestKey(s1)), report.notDeleted().toString());
        assertEquals(under(before, base, s1), under(after, base, s1), s1 + " is untouched: it is still complete");
        assertEquals(Map.of(), under(after, base, s2));
        assertTrue(after.containsKey(keys.statusKey(PurgeRecord.KEY)), "purge.json stays for the next purge");

        // s1 is whole and complete: the record does not force it; today's rules judge it again.
        PurgeReport keeps = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "5"));
        assertEquals(List.of(), keeps.purged(), "--keep-last 5 keeps s1, whatever the last purge meant");
        assertEquals(under(before, base, s1), under(objects(base), base, s1));
        PurgeReport next = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1"));
        assertTrue(next.ok(), next.notDeleted().toString());
        assertEquals(List.of(s1), next.purged());
        assertEquals(Map.of(), under(objects(base), base, s1));
        assertEquals(under(before, base, s3), under(objects(base), base, s3));
        assertFalse(objects(base).containsKey(keys.statusKey(PurgeRecord.KEY)));
    }

    @Test
    void aPurgeWhoseBatchesAreRefusedLeavesNoPurgedSnapshotCompleteAndTheNextFinishesIt() throws Exception {
        String base = "batches-refused";
        String s1 = snapshot(base, 3);
        String s2 = snapshot(base, 2);
        String s3 = snapshot(base, 1);
        StorageKeys keys = new StorageKeys(base);
        Map<String, Long> before = objects(base);

        PurgeReport report = purgeRefusing(base, line -> line.startsWith("POST ") && line.contains("?delete"),
                "--keep-last", "1");
        assertFalse(report.ok());
        Map<String, Long> after = objects(base);
        assertFalse(after.containsKey(keys.manifestKey(s1)), "manifest.json goes first");
        assertFalse(after.containsKey(keys.manifestKey(s2)));
        assertTrue(under(after, base, s1).size() > 1, "the data objects stayed: their deletes were refused");
        assertTrue(after.containsKey(keys.statusKey(PurgeRecord.KEY)), "purge.json names what is left to delete");
        BackupListing listing = new BackupLister(S3.client(), JSON).list(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1").s3());
        assertEquals(List.of(s3), listing.snapshots().stream()
                .filter(snapshot -> snapshot.status() == BackupListing.Status.COMPLETE)
                .map(BackupListing.Snapshot::name).toList(), "no half-deleted snapshot is listed as complete");

        // Incomplete now, and within the grace given here: only the record says to finish them.
        PurgeReport next = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "5", "--incomplete-grace", "7d"));
        assertTrue(next.ok(), next.notDeleted().toString());
        assertEquals(List.of(s1, s2), next.purged());
        assertEquals(Map.of(), under(objects(base), base, s1));
        assertEquals(Map.of(), under(objects(base), base, s2));
        assertEquals(under(before, base, s3), under(objects(base), base, s3));
        assertFalse(objects(base).containsKey(keys.statusKey(PurgeRecord.KEY)));
    }

    @Test
    void aRunningBackupsLockStopsThePurgeBeforeAnythingIsDeleted() throws Exception {
        String base = "locked";
        snapshot(base, 3);
        snapshot(base, 2);
        Map<String, Long> before = objects(base);
        try (RunLock held = new RunLocks(S3.client(), Clock.systemUTC()).acquire(request(base))) {
            assertThrows(LockHeldException.class, () -> purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1")));
        }
        assertEquals(before, objects(base));
    }

    @Test
    void multipartUploadsOlderThanTheGraceAreAbortedAndRecentOnesKept() throws Exception {
        String base = "uploads";
        String s1 = snapshot(base, 1);
        String key = new StorageKeys(base).snapshotPrefix(s1) + "h1/var/lib/cassandra/data/shop/" + ORDERS + "/snapshots/x";
        String upload = S3.client().createMultipartUpload(b -> b.bucket(S3.name()).key(key)).uploadId();
        // A backup of another base path below this one (uploads/eu) holds its own lock: never touched.
        String other = S3.client().createMultipartUpload(b -> b.bucket(S3.name())
                .key(base + "/eu/" + s1 + "/h1/var/lib/cassandra/data/x")).uploadId();
        Thread.sleep(1100); // the upload starts a second before the purges' "now"

        PurgeReport kept = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1"));
        assertEquals(0, kept.uploadsAborted(), "an upload younger than --uploads-grace 1d stays");
        assertTrue(openUploads(base).contains(upload));

        PurgeReport aborted = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1", "--uploads-grace", "0s"));
        assertEquals(1, aborted.uploadsAborted());
        assertFalse(openUploads(base).contains(upload));
        assertTrue(openUploads(base).contains(other), "the upload of base path " + base + "/eu is not this purge's");
    }

    static List<String> openUploads(String base) {
        return S3.client().listMultipartUploads(b -> b.bucket(S3.name()).prefix(base + "/")).uploads().stream()
                .map(u -> u.uploadId()).toList();
    }

    @Test
    void theCommandLineShowsWhatGoesAndStatusShowsTheLastPurge(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work)
            throws Exception {
        String base = "command-line";
        snapshot(base, 3);
        snapshot(base, 2);
        String newest = snapshot(base, 1);
        List<String> purgeArgs = new java.util.ArrayList<>(BackupArgs.global(S3.server(), S3.name(), base));
        purgeArgs.addAll(List.of("purge", "--keep-last", "1", "--dry-run"));
        SnapshotterProcess.Result dry = SnapshotterProcess.run(work, purgeArgs, S3ProxyServer.AWS_ENV);
        assertEquals(0, dry.exitStatus(), dry.all());
        assertTrue(dry.stdout().contains("would delete 2 snapshots"), dry.stdout());
        assertTrue(dry.stdout().contains("keep   " + newest + "  newest complete, last 1"), dry.stdout());

        purgeArgs.remove("--dry-run");
        SnapshotterProcess.Result done = SnapshotterProcess.run(work, purgeArgs, S3ProxyServer.AWS_ENV);
        assertEquals(0, done.exitStatus(), done.all());
        assertTrue(done.stdout().contains("deleted 2 snapshots"), done.stdout());
        assertEquals(List.of(newest), listed(base));

        List<String> statusArgs = new java.util.ArrayList<>(BackupArgs.global(S3.server(), S3.name(), base));
        statusArgs.add("status");
        SnapshotterProcess.Result status = SnapshotterProcess.run(work, statusArgs, S3ProxyServer.AWS_ENV);
        assertTrue(status.stdout().contains("last purge: ") && status.stdout().contains("2 snapshots"), status.stdout());

        List<String> noRule = new java.util.ArrayList<>(BackupArgs.global(S3.server(), S3.name(), base));
        noRule.add("purge");
        SnapshotterProcess.Result refused = SnapshotterProcess.run(work, noRule, S3ProxyServer.AWS_ENV);
        assertEquals(2, refused.exitStatus(), refused.all());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.stderr());
        assertTrue(refused.stderr().contains("purge needs a rule"), refused.stderr());
    }

    @Test
    void aPurgeWithoutARuleIsRefusedInOneLine() {
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> FlagBuiltRequests.of(S3, "none").purge("--dry-run"));
        assertTrue(refused.getMessage().startsWith("purge needs a rule: --keep-last"), refused.getMessage());
        assertThrows(InvalidInputException.class, () -> FlagBuiltRequests.of(S3, "none").purge("--keep-within", "soon"));
    }
    /** A data object of h1 in {@code snapshot}'s folder. */
    static String dataObject(String base, String snapshot) {
        return under(objects(base), base, snapshot).keySet().stream()
                .filter(k -> k.contains("/h1/") && k.endsWith("Data.db.lzo")).findFirst().orElseThrow();
    }

    static BackupListing listing(String base) throws InterruptedException {
        return new BackupLister(S3.client(), JSON).list(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1").s3());
    }

    @Test
    void aPurgedFolderThatStillHoldsReferencedObjectsIsTombstonedIsNoSnapshotAndGoesOnceNothingRefersToIt()
            throws Exception {
        String base = "tombstone";
        StorageKeys keys = new StorageKeys(base);
        String s1 = snapshot(base, 4);
        String s2 = snapshot(base, 3);
        String s3 = snapshot(base, 2);
        String referenced = dataObject(base, s1);
        refer(base, s2, referenced);
        long size = objects(base).get(referenced);

        PurgeReport first = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        assertTrue(first.ok(), first.notDeleted().toString());
        assertEquals(List.of(s1), first.purged());
        assertEquals(Map.of(s1, 1L), first.holdingFolders());
        Map<String, Long> folder = under(objects(base), base, s1);
        assertEquals(java.util.Set.of(referenced, keys.purgedKey(s1)), folder.keySet(),
                "the referenced object and the tombstone, written after the rest went");
        com.fasterxml.jackson.databind.JsonNode tombstone = JSON.readTree(S3.objects().text(keys.purgedKey(s1)));
        assertEquals(s1, tombstone.get("snapshot").asText());
        assertEquals(1, tombstone.get("referenced_objects").asLong());
        assertEquals(size, tombstone.get("referenced_bytes").asLong());

        // No snapshot: not listed (one summary instead), not judged (--include-legacy would purge a legacy one).
        assertEquals(List.of(s2, s3), listed(base));
        BackupListing.PurgedFolders purgedFolders = listing(base).purgedFolders();
        assertEquals(List.of(s1), purgedFolders.names());
        assertEquals(1, purgedFolders.objects());
        assertEquals(size, purgedFolders.storedBytes());
        io.github.cassandrasnapshotter.restore.RestoreException byName = assertThrows(
                io.github.cassandrasnapshotter.restore.RestoreException.class,
                () -> new io.github.cassandrasnapshotter.restore.RestorePlanner(S3.client(), JSON)
                        .plan(FlagBuiltRequests.of(S3, base).restore("--snapshot-name", s1, "--keyspace", "shop")));
        assertTrue(byName.getMessage().contains(s1 + " was purged"), byName.getMessage());
        PurgeReport again = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2", "--include-legacy"));
        assertEquals(List.of(), again.purged());
        assertFalse(again.kept().containsKey(s1), again.kept().toString());
        assertEquals(folder, under(objects(base), base, s1), "still referenced by " + s2 + ": left as it was");

        // s2 goes: nothing refers to s1's object any more, so its folder goes whole, tombstone last.
        String s4 = snapshot(base, 1);
        PurgeReport dry = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2", "--dry-run"));
        assertEquals(List.of(s2), dry.purged());
        assertEquals(List.of(s1), dry.emptiedFolders());
        PurgeReport last = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        assertTrue(last.ok(), last.notDeleted().toString());
        assertEquals(List.of(s2), last.purged());
        assertEquals(List.of(s1), last.emptiedFolders());
        assertEquals(Map.of(), last.holdingFolders());
        assertEquals(Map.of(), under(objects(base), base, s1));
        assertEquals(Map.of(), under(objects(base), base, s2));
        assertEquals(dry.objectsDeleted(), last.objectsDeleted(), "the dry run counted the folder's objects too");
        assertEquals(dry.bytesDeleted(), last.bytesDeleted());
        assertEquals(null, listing(base).purgedFolders());
        assertEquals(List.of(s3, s4), listed(base));
    }

    @Test
    void aPurgedFolderWhoseTombstoneCannotBeReadIsLeftAsItIs() throws Exception {
        String base = "tombstone-unreadable";
        StorageKeys keys = new StorageKeys(base);
        String s1 = snapshot(base, 3);
        String s2 = snapshot(base, 2);
        snapshot(base, 1);
        refer(base, s2, dataObject(base, s1));
        purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        // Changed in the bucket, and beside it an object that no kept list names: a trusted tombstone lets it go.
        S3.client().putObject(b -> b.bucket(S3.name()).key(keys.purgedKey(s1)), RequestBody.fromString("{\"snapshot\": "));
        S3.client().putObject(b -> b.bucket(S3.name()).key(keys.snapshotPrefix(s1) + "h1" + RecordedRuns.DATA
                + "/shop/" + ORDERS + "/snapshots/" + s1 + "/nb-9-big-Data.db.lzo"), RequestBody.fromBytes(new byte[7]));
        Map<String, Long> before = under(objects(base), base, s1);

        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        assertEquals(before, under(objects(base), base, s1), "nothing of the folder is touched");
        assertTrue(report.kept().get(s1).get(0).contains(keys.purgedKey(s1)), report.kept().toString());
    }

    @Test
    void aKeptSnapshotWhoseFileListIsNotJsonStopsThePurgeBeforeAnythingIsDeleted(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
        String base = "kept-unreadable";
        snapshot(base, 3);
        snapshot(base, 2);
        String s3 = snapshot(base, 1);
        String list = new StorageKeys(base).runHostKey(s3, s3, "h1");
        S3.client().putObject(b -> b.bucket(S3.name()).key(list), RequestBody.fromString("{\"files\": [{\"key\": "));
        Map<String, Long> before = objects(base);

        List<String> args = new java.util.ArrayList<>(BackupArgs.global(S3.server(), S3.name(), base));
        args.addAll(List.of("purge", "--keep-last", "1"));
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
        assertEquals(1, run.exitStatus(), run.all());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("s3://" + S3.name() + "/" + list) && run.stderr().contains("nothing is deleted"),
                run.stderr());
        assertEquals(before, objects(base), "nothing deleted, nothing written (the lock is gone again)");
    }

    @Test
    void keysTheStoreDidNotDeleteAreNamedTheRunFailsAndTheNextPurgeFinishes(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
        String base = "keys-refused";
        StorageKeys keys = new StorageKeys(base);
        String s1 = snapshot(base, 3);
        String s2 = snapshot(base, 2);
        String s3 = snapshot(base, 1);
        String h1 = keys.snapshotPrefix(s1) + "h1/";
        for (int i = 0; i < 12; i++) {
            String key = h1 + "var/lib/cassandra/data/shop/" + ORDERS + "/snapshots/" + s1 + "/nb-" + (10 + i) + "-big-Data.db.lzo";
            S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromBytes(new byte[3]));
        }
        List<String> refused = under(objects(base), base, s1).keySet().stream().filter(k -> k.startsWith(h1)).toList();
        assertEquals(14, refused.size());
        Map<String, Long> before = objects(base);

        java.net.URI store = java.net.URI.create(S3.endpoint());
        SnapshotterProcess.Result run;
        try (io.github.cassandrasnapshotter.testsupport.DeleteObjectsProxy proxy =
                     new io.github.cassandrasnapshotter.testsupport.DeleteObjectsProxy(
                             new java.net.InetSocketAddress(store.getHost(), store.getPort()), S3.client(), S3.name(),
                             key -> key.startsWith(h1), batch -> { })) {
            run = SnapshotterProcess.run(work, BackupArgs.command(proxy.endpoint(), S3.name(), base, "purge",
                    "--keep-last", "1", "--json"), S3ProxyServer.AWS_ENV);
            assertEquals(14, proxy.reportedFailed().size(), "the store answered an <Error> for each of h1's keys");
        }
        assertEquals(1, run.exitStatus(), run.all());
        com.fasterxml.jackson.databind.JsonNode notDeleted = JSON.readTree(run.stdout()).get("not_deleted");
        List<String> folders = new java.util.ArrayList<>();
        notDeleted.fieldNames().forEachRemaining(folders::add);
        assertEquals(List.of(s1), folders, notDeleted.toString());
        assertEquals(14, notDeleted.get(s1).get("count").asLong());
        assertEquals(PurgeReport.KEYS_NAMED, notDeleted.get(s1).get("first").size(), "the first ten are named");
        notDeleted.get(s1).get("first").fields().forEachRemaining(e -> {
            assertTrue(refused.contains(e.getKey()), e.getKey());
            assertTrue(e.getValue().asText().startsWith("AccessDenied"), e.getValue().asText());
        });
        Map<String, Long> after = objects(base);
        assertTrue(after.keySet().containsAll(refused), "what the store did not delete is there");
        assertTrue(after.containsKey(keys.runHostKey(s1, s1, "h1")), "and the records that name it");
        assertTrue(after.containsKey(keys.statusKey(PurgeRecord.KEY)), "purge.json stays for the next purge");
        assertEquals(Map.of(), under(after, base, s2));

        PurgeReport next = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1"));
        assertTrue(next.ok(), next.notDeleted().toString());
        assertEquals(List.of(s1), next.purged(), "the record finishes it");
        assertEquals(Map.of(), under(objects(base), base, s1));
        assertEquals(under(before, base, s3), under(objects(base), base, s3));
        assertFalse(objects(base).containsKey(keys.statusKey(PurgeRecord.KEY)));
    }

    @Test
    void aPurgeThatLosesItsLockBetweenBatchesSendsNoFurtherBatch() throws Exception {
        String base = "lock-lost";
        StorageKeys keys = new StorageKeys(base);
        String s1 = snapshot(base, 2);
        String s2 = snapshot(base, 1);
        String folder = keys.snapshotPrefix(s1) + "h1" + RecordedRuns.DATA + "/shop/" + ORDERS + "/snapshots/" + s1 + "/";
        java.util.concurrent.ExecutorService puts = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String key = folder + "nb-" + (1000 + i) + "-big-Data.db.lzo";
            done.add(puts.submit(() -> S3.client().putObject(b -> b.bucket(S3.name()).key(key), RequestBody.fromBytes(new byte[1]))));
        }
        for (java.util.concurrent.Future<?> put : done) {
            put.get();
        }
        puts.shutdown();
        Map<String, Long> before = objects(base);

        java.net.URI store = java.net.URI.create(S3.endpoint());
        // After the first batch, another run takes the lock; the answer comes once the purge's renewal was refused.
        java.util.function.IntConsumer takeOver = batch -> {
            if (batch == 1) {
                S3.client().putObject(b -> b.bucket(S3.name()).key(keys.statusKey(RunLock.KEY)), RequestBody.fromString(
                        "{\"owner\":\"other-host/1/x\",\"run\":\"backup\",\"acquired\":\"" + Instant.now()
                                + "\",\"expires\":\"" + Instant.now().plusSeconds(600) + "\",\"ttl_seconds\":600}"));
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (io.github.cassandrasnapshotter.testsupport.DeleteObjectsProxy proxy =
                     new io.github.cassandrasnapshotter.testsupport.DeleteObjectsProxy(
                             new java.net.InetSocketAddress(store.getHost(), store.getPort()), S3.client(), S3.name(),
                             key -> false, takeOver)) {
            PurgeRequest flags = FlagBuiltRequests.through(S3, base, proxy.endpoint()).purge("--keep-last", "1");
            PurgeRequest request = new PurgeRequest(flags.s3(), flags.policy(), flags.uploadsGrace(), false,
                    new io.github.cassandrasnapshotter.storage.LockTiming(java.time.Duration.ofSeconds(3),
                            java.time.Duration.ofSeconds(1)), 1);
            try (S3Client client = S3ClientFactory.create(request.s3(), 8)) {
                io.github.cassandrasnapshotter.storage.LockLostException lost = assertThrows(
                        io.github.cassandrasnapshotter.storage.LockLostException.class,
                        () -> new Purge(client, JSON, Clock.systemUTC()).run(request));
                assertTrue(lost.getMessage().contains("deleting a batch of objects"), lost.getMessage());
            }
            assertEquals(1, proxy.batches(), "no batch after the lock was lost");
        }
        Map<String, Long> after = objects(base);
        assertEquals(under(before, base, s1).size() - 1 - BatchDeleter.BATCH, under(after, base, s1).size(),
                "its manifest.json and the first batch went, nothing more");
        assertEquals(under(before, base, s2), under(after, base, s2));
        assertTrue(after.containsKey(keys.statusKey(PurgeRecord.KEY)), "purge.json names what is left");
    }

    @Test
    void agesAreJudgedByTheStoresClockNotThisMachines() throws Exception {
        String base = "store-clock";
        snapshot(base, 1);
        String recent = snapshot(base, 0.5, "h2");
        // This machine's clock is ten days ahead: by it, the incomplete snapshot would be past its 2 days of grace.
        Purge ahead = new Purge(S3.client(), JSON, Clock.offset(Clock.systemUTC(), java.time.Duration.ofDays(10)));
        PurgeReport dry = ahead.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1", "--dry-run"));
        assertEquals(List.of(), dry.purged(), dry.kept().toString());
        PurgeReport report = ahead.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "1"));
        assertEquals(List.of(), report.purged());
        assertTrue(report.kept().get(recent).get(0).startsWith("incomplete, within"), report.kept().toString());
        assertTrue(java.time.Duration.between(Instant.parse(report.started()), Instant.now()).abs().toMinutes() < 5,
                report.started());
    }
    @Test
    void withAKeyFileTheTombstoneIsSealedAndOneWithoutASealLeavesItsFolderAlone(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
        String base = "tombstone-sealed";
        StorageKeys keys = new StorageKeys(base);
        java.nio.file.Path keyFile = work.resolve("keys.json");
        io.github.cassandrasnapshotter.crypto.KeyFile.create(keyFile, io.github.cassandrasnapshotter.crypto.ClientKeys.generate());
        FlagBuiltRequests keyed = FlagBuiltRequests.of(S3, base).withGlobal("--encryption-key-file", keyFile.toString());
        List<String> names = new java.util.ArrayList<>();
        for (double days : new double[] {3, 2, 1}) {
            names.add(runs.snapshot(keyed.backup("--hosts", "h1,h2", "--keyspaces", "shop"), daysAgo(days)).withObjects()
                    .file("shop", ORDERS, "nb-1-big-Data.db").write().snapshot());
        }
        String s1 = names.get(0);
        String s2 = names.get(1);
        String referenced = dataObject(base, s1);
        // s2's file list names s1's object, sealed as a backup with the key file writes it.
        String listKey = keys.runHostKey(s2, s2, "h1");
        ObjectNode list = (ObjectNode) JSON.readTree(S3.objects().text(listKey));
        ObjectNode reference = ((ArrayNode) list.get("files")).get(0).deepCopy();
        reference.put("key", referenced);
        ((ArrayNode) list.get("files")).add(reference);
        io.github.cassandrasnapshotter.storage.ObjectTarget.of(keyed.purge("--keep-last", "2").s3(), listKey)
                .put(S3.client(), JSON.writeValueAsBytes(list), "application/json");

        PurgeReport report = purge.run(keyed.purge("--keep-last", "2"));
        assertTrue(report.ok(), report.notDeleted().toString());
        assertEquals(List.of(s1), report.purged());
        assertEquals(java.util.Set.of(referenced, keys.purgedKey(s1)), under(objects(base), base, s1).keySet());
        assertTrue(S3.client().headObject(b -> b.bucket(S3.name()).key(keys.purgedKey(s1))).metadata()
                .containsKey(io.github.cassandrasnapshotter.storage.ObjectTarget.SEAL_METADATA), "the tombstone is sealed");
        PurgeReport again = purge.run(keyed.purge("--keep-last", "2"));
        assertFalse(again.kept().containsKey(s1), "a sealed tombstone is trusted: " + again.kept());

        // The same bytes without the seal (someone else wrote it), and beside it an object no kept list names.
        String text = S3.objects().text(keys.purgedKey(s1));
        S3.client().putObject(b -> b.bucket(S3.name()).key(keys.purgedKey(s1)), RequestBody.fromString(text));
        S3.client().putObject(b -> b.bucket(S3.name()).key(keys.snapshotPrefix(s1) + "h1" + RecordedRuns.DATA
                + "/shop/" + ORDERS + "/snapshots/" + s1 + "/nb-9-big-Data.db.lzo"), RequestBody.fromBytes(new byte[7]));
        Map<String, Long> before = under(objects(base), base, s1);
        PurgeReport unsealed = purge.run(keyed.purge("--keep-last", "2"));
        assertEquals(before, under(objects(base), base, s1), "nothing of the folder is touched");
        assertTrue(unsealed.kept().get(s1).get(0).contains("no seal"), unsealed.kept().toString());
    }
    @Test
    void aTombstoneCountsWhatItsFolderStillHoldsAfterEachPurge() throws Exception {
        String base = "tombstone-counts";
        StorageKeys keys = new StorageKeys(base);
        String s1 = snapshot(base, 4);
        String s2 = snapshot(base, 3);
        String s3 = snapshot(base, 2);
        List<String> data = under(objects(base), base, s1).keySet().stream().filter(k -> k.endsWith("Data.db.lzo")).toList();
        refer(base, s2, data.get(0));
        refer(base, s3, data.get(1));
        purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        com.fasterxml.jackson.databind.JsonNode first = JSON.readTree(S3.objects().text(keys.purgedKey(s1)));
        assertEquals(2, first.get("referenced_objects").asLong());

        snapshot(base, 1);
        PurgeReport report = purge.run(FlagBuiltRequests.of(S3, base).purge("--keep-last", "2"));
        assertEquals(List.of(s2), report.purged());
        assertEquals(java.util.Set.of(data.get(1), keys.purgedKey(s1)), under(objects(base), base, s1).keySet(),
                "what only " + s2 + " named went");
        com.fasterxml.jackson.databind.JsonNode now = JSON.readTree(S3.objects().text(keys.purgedKey(s1)));
        assertEquals(1, now.get("referenced_objects").asLong(), now.toString());
        assertEquals(first.get("purged_at"), now.get("purged_at"), "when it was purged stays");
    }
}
