package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code list} over more than one page of snapshots and of objects, written as the old tool wrote them; the catalog. */
class ListIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("listing");
    static final String BUCKET = S3.name();
    static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    @TempDir
    Path work;

    static void put(String key, String content) {
        S3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    @Test
    void listsEverySnapshotBeyondAThousandAndEveryObjectOfALargeOne() throws Exception {
        String base = "old/profile";
        int snapshots = 1_001;
        int objectsInNewest = 1_005;
        LocalDateTime first = LocalDateTime.of(2024, 1, 1, 0, 0);
        List<String> names = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < snapshots; i++) {
                String name = NAME.format(first.plusHours(i));
                names.add(name);
                // cassandra_snapshotter 1.2.0's layout: manifest.json with its five keys, data under <host>/<path>.lzo.
                writes.add(writers.submit(() -> {
                    put(base + "/" + name + "/manifest.json", "{\"name\": \"" + name + "\", \"base_path\": \"" + base
                            + "\", \"hosts\": [\"10.0.0.1\"], \"keyspaces\": null, \"table\": \"\"}");
                    put(base + "/" + name + "/10.0.0.1/var/lib/cassandra/data/ks/t-1/snapshots/" + name
                            + "/nb-1-big-Data.db.lzo", "0123456789");
                }));
            }
            String newest = names.get(names.size() - 1);
            for (int i = 2; i <= objectsInNewest; i++) {
                int generation = i;
                writes.add(writers.submit(() -> put(base + "/" + newest + "/10.0.0.1/var/lib/cassandra/data/ks/t-1/snapshots/"
                        + newest + "/nb-" + generation + "-big-Data.db.lzo", "0123456789")));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdownNow();
        }

        long started = System.nanoTime();
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, BackupArgs.list(S3.server(), BUCKET, base, true),
                S3ProxyServer.AWS_ENV);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(0, run.exitStatus(), run.stderr());
        JsonNode listing = new ObjectMapper().readTree(run.stdout());
        JsonNode listed = listing.get("snapshots");
        assertEquals(snapshots, listed.size(), "every snapshot, past the first page of 1,000");
        for (int i = 0; i < snapshots; i++) {
            JsonNode snapshot = listed.get(i);
            assertEquals(names.get(snapshots - 1 - i), snapshot.get("name").asText(), "newest first");
            assertEquals("complete", snapshot.get("status").asText());
            assertEquals("cassandra_snapshotter 1.x", snapshot.get("written_by").asText());
            assertEquals("10.0.0.1", snapshot.get("hosts").get(0).asText());
            assertTrue(snapshot.get("keyspaces").isNull());
        }
        assertEquals(objectsInNewest, listed.get(0).get("files").asInt(), "every object, past the first page");
        assertEquals(objectsInNewest * 10L, listed.get(0).get("stored_bytes").asLong());
        assertEquals(1, listed.get(1).get("files").asInt());
        System.out.println("list of " + snapshots + " snapshots: " + millis + " ms including the JVM start");

        SnapshotterProcess.Result text = SnapshotterProcess.run(work, BackupArgs.list(S3.server(), BUCKET, base, false),
                S3ProxyServer.AWS_ENV);
        assertEquals(0, text.exitStatus(), text.stderr());
        assertTrue(text.stdout().startsWith(snapshots + " snapshot(s) under s3://" + BUCKET + "/" + base + ", "
                + snapshots + " complete"), text.stdout().lines().findFirst().orElse(""));
        assertTrue(text.stdout().contains("[cassandra_snapshotter 1.x]"));
    }

    @Test
    void listReadsTheCatalogTheRunsKeepAndOnlyWhileTheLastRunWroteIt() throws Exception {
        String base = "catalog";
        ObjectMapper json = new ObjectMapper();
        TestSshServer.Keys keys = TestSshServer.Keys.generate(work);
        try (TestCluster cluster = TestCluster.start(work, keys, "127.0.0.1")) {
            backup(cluster, keys, base);
            cluster.node("127.0.0.1").addFlushedSstable("ks1", "users-0123456789abcdef0123456789abcdef", 5, 55);
            backup(cluster, keys, base);
            JsonNode catalog = json.readTree(S3.objects().text(base + "/_status/catalog.json"));
            JsonNode lastRun = json.readTree(S3.objects().text(base + "/_status/last-run.json"));
            assertEquals(lastRun.get("run_id").asText(), catalog.get("updated_by").asText());
            assertEquals(1, catalog.get("snapshots").size());
            assertEquals(1, catalog.get("snapshots").get(0).get("runs").size(), "the incremental run is in the catalog");

            JsonNode withCatalog = listJson(base);
            deleteCatalog(base);
            assertEquals(listJson(base), withCatalog, "the catalog lists exactly what the manifests say");

            // Without a catalog, the next run makes it again from every manifest.
            backup(cluster, keys, base, "--new-snapshot");
            catalog = json.readTree(S3.objects().text(base + "/_status/catalog.json"));
            assertEquals(2, catalog.get("snapshots").size(), catalog.toString());
            JsonNode rebuilt = listJson(base);
            deleteCatalog(base);
            JsonNode fromManifests = listJson(base);
            assertEquals(fromManifests, rebuilt);

            // Proof that list reads it: a catalog written by the last run is believed...
            ((com.fasterxml.jackson.databind.node.ObjectNode) catalog.get("snapshots").get(0)).put("files", 999_999);
            put(base + "/_status/catalog.json", json.writeValueAsString(catalog));
            assertEquals(999_999, listJson(base).get("snapshots").get(0).get("files").asInt());
            // ... and one that another run wrote (a later run could not update it) is not.
            ((com.fasterxml.jackson.databind.node.ObjectNode) catalog).put("updated_by", "20000101000000");
            put(base + "/_status/catalog.json", json.writeValueAsString(catalog));
            assertEquals(fromManifests, listJson(base));
        }
    }

    private void backup(TestCluster cluster, TestSshServer.Keys keys, String base, String... extra) throws Exception {
        SnapshotterProcess.Result backup = SnapshotterProcess.run(work,
                BackupArgs.backup(S3.server(), BUCKET, base, cluster, keys, extra), S3ProxyServer.AWS_ENV);
        assertEquals(0, backup.exitStatus(), backup.all());
    }

    private static void deleteCatalog(String base) {
        S3.client().deleteObject(b -> b.bucket(BUCKET).key(base + "/_status/catalog.json"));
    }

    private JsonNode listJson(String base) throws Exception {
        SnapshotterProcess.Result list = SnapshotterProcess.run(work, BackupArgs.list(S3.server(), BUCKET, base, true),
                S3ProxyServer.AWS_ENV);
        assertEquals(0, list.exitStatus(), list.all());
        return new ObjectMapper().readTree(list.stdout());
    }

    @Test
    void anEmptyBasePathSaysSo() throws Exception {
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, BackupArgs.list(S3.server(), BUCKET, "nothing/here", false),
                S3ProxyServer.AWS_ENV);
        assertEquals(0, run.exitStatus(), run.stderr());
        assertEquals("no snapshots under s3://" + BUCKET + "/nothing/here", run.stdout().strip());
    }

    @Test
    void aMissingBucketIsAClearFailure() throws Exception {
        List<String> args = BackupArgs.list(S3.server(), "no-such-bucket", "x", false);
        SnapshotterProcess.Result run = SnapshotterProcess.run(work, args, S3ProxyServer.AWS_ENV);
        assertEquals(1, run.exitStatus(), run.all());
        assertTrue(run.stderr().contains("cannot list s3://no-such-bucket/x"), run.stderr());
    }
    @Test
    void purgedFoldersAreNoSnapshotsAndAreSummedUpInOneLine() throws Exception {
        String base = "purged";
        String legacy = "20240102000000";
        put(base + "/" + legacy + "/manifest.json", "{\"name\": \"" + legacy + "\", \"base_path\": \"" + base
                + "\", \"hosts\": [\"10.0.0.1\"], \"keyspaces\": null, \"table\": \"\"}");
        put(base + "/" + legacy + "/10.0.0.1/var/lib/cassandra/data/ks/t-1/snapshots/" + legacy + "/nb-1-big-Data.db.lzo", "0");
        // Two folders a purge left: each holds objects a newer snapshot's file list names, and its tombstone.
        for (String purged : List.of("20240101000000", "20231231000000")) {
            put(base + "/" + purged + "/_runs/purged.json", "{\"format\": \"cassandra-snapshotter/purged-1\", \"snapshot\": \""
                    + purged + "\", \"purged_at\": \"2024-01-03T00:00:00Z\", \"referenced_objects\": 2, \"referenced_bytes\": 20}");
            for (int i = 1; i <= 2; i++) {
                put(base + "/" + purged + "/10.0.0.1/var/lib/cassandra/data/ks/t-1/snapshots/" + purged + "/nb-" + i
                        + "-big-Data.db.lzo", "0123456789");
            }
        }

        SnapshotterProcess.Result text = SnapshotterProcess.run(work, BackupArgs.list(S3.server(), BUCKET, base, false),
                S3ProxyServer.AWS_ENV);
        assertEquals(0, text.exitStatus(), text.all());
        List<String> lines = text.stdout().strip().lines().toList();
        assertEquals(3, lines.size(), text.stdout());
        assertTrue(lines.get(0).startsWith("1 snapshot(s) under s3://" + BUCKET + "/" + base), lines.get(0));
        assertTrue(lines.get(1).startsWith(legacy), lines.get(1));
        assertEquals("2 purged snapshot folders still hold 4 objects (40 B) that newer snapshots refer to", lines.get(2));

        JsonNode listed = listJson(base);
        assertEquals(1, listed.get("snapshots").size(), listed.toString());
        assertEquals(legacy, listed.get("snapshots").get(0).get("name").asText());
        assertEquals("[\"20231231000000\",\"20240101000000\"]", listed.get("purged_folders").get("names").toString());
        assertEquals(4, listed.get("purged_folders").get("objects").asLong());
        assertEquals(40, listed.get("purged_folders").get("stored_bytes").asLong());
        assertTrue(listJson("nothing/here/either").path("purged_folders").isMissingNode(), "absent when there are none");
    }
}
