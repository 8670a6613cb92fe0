package io.github.cassandrasnapshotter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.agent.HostFileManifest;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.cli.FlagRequests;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.testsupport.RecordedRuns;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.validate.SnapshotName;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench.only=purge} (issue 20): {@code purge --keep-last 1} through the built jar over a history of
 * 1,000 complete snapshots of 100 data objects each, beside the store's own limit: the SDK alone listing the
 * same objects and sending DeleteObjects batches of 1,000 keys, 1, 4, 8 and 16 at a time. Each measurement
 * gets the same history written afresh under its own base path (timed apart: it is set-up, not measured).
 * The tool and the SDK runs alternate within each round, so that a busy machine weighs on both.
 */
final class PurgeBench {
    /** 1,000; fewer (bench.purge.snapshots, when the bench JVM is run by hand) for a quick look. */
    static final int SNAPSHOTS = Integer.getInteger("bench.purge.snapshots", 1000);
    static final int OBJECTS_PER_SNAPSHOT = 100;
    static final List<Integer> CONCURRENCIES = List.of(1, 4, 8, 16);
    private static final String HOST = "10.0.0.1";
    private static final String KEYSPACE = "ks";
    private static final String TABLE = "t-0123456789abcdef0123456789abcdef";
    /** The template snapshot's time: its name and times are replaced in every copy of its records. */
    private static final Instant TEMPLATE_TIME = Instant.parse("2000-01-01T00:00:00Z");
    private static final String TEMPLATE_BASE = "purge-template-base";
    private static final int PUTS_AT_ONCE = 32;
    /** Snapshots of the histories on which Purge's requests are replayed step by step ({@link #replay}). */
    private static final int REPLAY_SNAPSHOTS = 100;
    private static final int DATA_BYTES = 512;
    private static final double MB = 1024 * 1024;
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) INFO +Purge - purged (\\d{14})",
            Pattern.MULTILINE);

    private final S3ProxyServer server;
    private final S3Client s3;
    private final String bucket;
    private final Path workDir;
    /** The filesystem store's folder: S3Proxy keeps each object as the file {@code <store>/<bucket>/<key>}. */
    private final Path store;
    private final Map<String, String> env;
    private final int runs;
    private final ObjectMapper json = new ObjectMapper();
    /** The template's records: key relative to its snapshot folder → body. */
    private final Map<String, String> records = new LinkedHashMap<>();
    /** The template's data keys, relative to its snapshot folder. */
    private final List<String> dataKeys = new ArrayList<>();

    private final List<ProcessMeter.Measurement> tool = new ArrayList<>();
    private final List<Double> toolRates = new ArrayList<>();
    private final Map<Integer, List<Double>> sdkRates = new LinkedHashMap<>();
    private final List<Double> setups = new ArrayList<>();
    private final List<String> phases = new ArrayList<>();
    private final List<String> replays = new ArrayList<>();
    /** bench.baseline.jar's purge, when given. */
    private final List<ProcessMeter.Measurement> otherTool = new ArrayList<>();
    private final List<Double> otherRates = new ArrayList<>();
    private final List<String> otherPhases = new ArrayList<>();
    private long expectedObjects;

    PurgeBench(S3ProxyServer server, S3Client s3, String bucket, Path workDir, Path store, Map<String, String> env,
               int runs) {
        this.server = server;
        this.store = store;
        this.s3 = s3;
        this.bucket = bucket;
        this.workDir = workDir;
        this.env = env;
        this.runs = runs;
        CONCURRENCIES.forEach(c -> sdkRates.put(c, new ArrayList<>()));
    }

    void run() throws Exception {
        say("machine: " + uptime());
        writeTemplate();
        checkStoredFile("purge-check", writeHistory("purge-check", 2));
        deleteAll("purge-check/");
        expectedObjects = (long) (SNAPSHOTS - 1) * (dataKeys.size() + records.size());
        say("history: " + SNAPSHOTS + " snapshots of " + dataKeys.size() + " data objects and " + records.size()
                + " records; purge --keep-last 1 deletes " + expectedObjects + " objects");
        String hold = System.getProperty("bench.keep.store", "");
        if (!hold.isBlank()) { // by hand: a history under purge-held/ for a purge run by hand, until the file goes
            writeHistory("purge-held");
            Files.writeString(Path.of(hold), server.endpoint() + "\n");
            say("store kept at " + server.endpoint() + " with a history under purge-held/ until " + hold + " is removed");
            while (Files.exists(Path.of(hold))) {
                Thread.sleep(500);
            }
            return;
        }
        if (Boolean.getBoolean("bench.purge.diagnose")) { // by hand: Purge's steps alone, at full size
            replay(0, SNAPSHOTS);
            replays.forEach(p -> System.out.println("- " + p));
            return;
        }
        for (int round = 1; round <= runs; round++) {
            say("round " + round + " of " + runs + " (" + uptime() + ")");
            List<Integer> order = new ArrayList<>(CONCURRENCIES);
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            } else {
                measureTool(round);
            }
            for (int concurrency : order) {
                measureSdk(round, concurrency);
            }
            if (round % 2 == 0) {
                measureTool(round);
            }
            replay(round, REPLAY_SNAPSHOTS);
        }
        print();
    }

    /** One complete snapshot as the backup route records it (RecordedRuns), whose records every copy reuses. */
    private void writeTemplate() throws Exception {
        Path knownHosts = Files.createTempFile(workDir, "known_hosts-", "");
        knownHosts.toFile().deleteOnExit();
        BackupRequest request = new FlagRequests(List.of("--s3-bucket-name", bucket, "--s3-base-path", TEMPLATE_BASE,
                "--s3-endpoint", server.endpoint(), "--aws-access-key-id", S3ProxyServer.IDENTITY,
                "--aws-secret-access-key", S3ProxyServer.CREDENTIAL),
                Map.of("backup", List.of("--ssh-known-hosts", knownHosts.toString(), "--quiet", "--hosts", HOST,
                        "--keyspaces", KEYSPACE))).backup(Map.of());
        RecordedRuns.Run run = new RecordedRuns(s3).snapshot(request, TEMPLATE_TIME);
        for (int n = 1; n <= OBJECTS_PER_SNAPSHOT; n++) {
            run.file(KEYSPACE, TABLE, "nb-" + n + "-big-Data.db");
        }
        String snapshot = run.write().snapshot();
        StorageKeys keys = new StorageKeys(TEMPLATE_BASE);
        String prefix = keys.snapshotPrefix(snapshot);
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            records.put(object.key().substring(prefix.length()),
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asString(StandardCharsets.UTF_8));
        }
        HostFileManifest list = json.readValue(records.get(StorageKeys.RUNS + "/" + snapshot + "/" + HOST + ".json"),
                HostFileManifest.class);
        for (FileResult file : list.files()) {
            dataKeys.add(file.key().substring(prefix.length()));
        }
        if (dataKeys.size() != OBJECTS_PER_SNAPSHOT || !records.containsKey(StorageKeys.MANIFEST)) {
            throw new IllegalStateException("the template snapshot is not what was recorded: " + records.keySet());
        }
        say("template snapshot " + snapshot + ": records " + records.keySet());
        deleteAll(TEMPLATE_BASE + "/");
    }

    private String writeHistory(String base) throws Exception {
        return writeHistory(base, SNAPSHOTS);
    }

    /**
     * The history under {@code base}: {@code count} snapshots one hour apart up to the current hour, each
     * with the template's records (its name, base path and times replaced), PUT {@value #PUTS_AT_ONCE} at a
     * time, and its data objects. The data objects are written straight into the store's folder as S3Proxy's
     * filesystem store writes a PUT (the file, and its content-md5, content-type and storage-tier extended
     * attributes): 100,000 PUTs take 400 s on this shared machine, 10 histories more than the time there is.
     * Listings, GETs and deletes see them as any other object (checked: key, size, ETag).
     */
    private String writeHistory(String base, int count) throws Exception {
        ProcessMeter.settleDisk();
        long started = System.nanoTime();
        Instant newest = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String templateName = SnapshotName.of(TEMPLATE_TIME);
        AtomicLong puts = new AtomicLong();
        AtomicLong files = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(PUTS_AT_ONCE);
        Semaphore queued = new Semaphore(4 * PUTS_AT_ONCE);
        byte[] data = new byte[DATA_BYTES];
        new java.util.Random(20).nextBytes(data);
        byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(data);
        try (S3Client client = S3ClientFactory.create(settings(base), 2 * PUTS_AT_ONCE)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant time = newest.minus(i, ChronoUnit.HOURS);
                String name = SnapshotName.of(time);
                String prefix = base + "/" + name + "/";
                List<String> keys = new ArrayList<>();
                for (String key : dataKeys) {
                    keys.add(prefix + key.replace(templateName, name));
                }
                queued.acquire();
                done.add(pool.submit(() -> {
                    try {
                        for (String key : keys) {
                            storeFile(key, data, md5);
                            files.incrementAndGet();
                        }
                    } finally {
                        queued.release();
                    }
                    return null;
                }));
                for (Map.Entry<String, String> record : records.entrySet()) {
                    byte[] body = record.getValue().replace(templateName, name).replace(TEMPLATE_BASE, base)
                            .replace(TEMPLATE_TIME.toString(), time.toString())
                            .replace(String.valueOf(TEMPLATE_TIME.toEpochMilli()), String.valueOf(time.toEpochMilli()))
                            .getBytes(StandardCharsets.UTF_8);
                    String key = prefix + record.getKey().replace(templateName, name);
                    queued.acquire();
                    done.add(pool.submit(() -> {
                        try {
                            client.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                                    RequestBody.fromBytes(body));
                            puts.incrementAndGet();
                        } finally {
                            queued.release();
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> put : done) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (count == SNAPSHOTS) {
            setups.add(seconds);
        }
        say(String.format(Locale.ROOT, "  set-up (not measured): %d snapshots under %s/, %d records PUT and %d data "
                + "objects written in the store in %.1f s", count, base, puts.get(), files.get(), seconds));
        return SnapshotName.of(newest);
    }

    /** An object as S3Proxy's filesystem store leaves a PUT of it: the file and its three extended attributes. */
    private void storeFile(String key, byte[] data, byte[] md5) throws java.io.IOException {
        Path file = store.resolve(bucket).resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, data);
        var view = Files.getFileAttributeView(file, java.nio.file.attribute.UserDefinedFileAttributeView.class);
        view.write("user.content-md5", java.nio.ByteBuffer.wrap(md5));
        view.write("user.content-type", StandardCharsets.UTF_8.encode("application/octet-stream"));
        view.write("user.storage-tier", StandardCharsets.UTF_8.encode("STANDARD"));
    }

    /** The first data object of a fresh history, read back through the store: as a PUT would have left it. */
    private void checkStoredFile(String base, String snapshot) {
        String key = base + "/" + snapshot + "/" + dataKeys.get(0).replace(SnapshotName.of(TEMPLATE_TIME), snapshot);
        S3Object listed = s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().get(0);
        byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        String etag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
        if (listed.size() != DATA_BYTES || body.length != DATA_BYTES || listed.eTag() == null || !listed.eTag().equals(etag)) {
            throw new IllegalStateException("a data object written in the store is not read back as stored: " + listed);
        }
    }

    private void measureTool(int round) throws Exception {
        measureTool(round, env, "tool", tool, toolRates, phases);
        String baseline = System.getProperty("bench.baseline.jar", "");
        if (!baseline.isBlank()) { // another jar's purge beside ours, in the same round
            Map<String, String> other = new LinkedHashMap<>(env);
            other.put("SNAPSHOTTER_JAR", Path.of(baseline).toAbsolutePath().toString());
            measureTool(round, other, "baseline", otherTool, otherRates, otherPhases);
        }
    }

    private void measureTool(int round, Map<String, String> env, String label, List<ProcessMeter.Measurement> tool,
                             List<Double> toolRates, List<String> phases) throws Exception {
        String base = "purge-" + round + "-" + label;
        writeHistory(base);
        ProcessMeter.settleDisk(); // before the clock the log is read against (ProcessMeter syncs again, quickly)
        long startedAt = System.currentTimeMillis();
        ProcessMeter.Measurement run = ProcessMeter.run(workDir, env, List.of(
                Path.of("bin/cassandra-snapshotter").toAbsolutePath().toString(), "--s3-bucket-name", bucket,
                "--s3-base-path", base, "--s3-endpoint", server.endpoint(), "--aws-keys-from-env", "--verbose",
                "purge", "--keep-last", "1", "--json"));
        Files.writeString(workDir.resolve(base + ".log"), run.output());
        run.check("purge");
        JsonNode report = json.readTree(run.output().substring(run.output().indexOf("{\n")));
        long deleted = report.get("objects_deleted").asLong();
        int purged = report.get("purged").size();
        if (purged != SNAPSHOTS - 1 || deleted != expectedObjects || !report.path("not_deleted").isEmpty()) {
            throw new IllegalStateException("purge deleted " + purged + " snapshots, " + deleted + " objects (expected "
                    + (SNAPSHOTS - 1) + ", " + expectedObjects + "), failed " + report.path("not_deleted"));
        }
        long left = countSnapshotObjects(base);
        if (left != dataKeys.size() + records.size()) {
            throw new IllegalStateException("after the purge " + left + " objects are left in snapshot folders, not "
                    + (dataKeys.size() + records.size()));
        }
        double rate = deleted / run.wallSeconds();
        tool.add(run);
        toolRates.add(rate);
        say(String.format(Locale.ROOT, "  purge --keep-last 1 (%s jar) %7.2f s %8.0f objects/s %6.1f CPU s %5.0f MB peak RSS",
                label, run.wallSeconds(), rate, run.cpuSeconds(), run.peakRssBytes() / MB));
        phases.add("round " + round + ": " + phasesOf(run, startedAt, Instant.parse(report.get("started").asText())));
        say("  " + phases.get(phases.size() - 1));
        deleteAll(base + "/");
    }

    /**
     * Where the purge's wall time went, from its log: the report's start (taken once the lock is held), then
     * one "purged <snapshot>" line per snapshot once its objects and records are gone.
     */
    static String phasesOf(ProcessMeter.Measurement run, long startedAt, Instant purgeStarted) {
        Matcher m = LOG_TIME.matcher(run.output());
        List<Long> times = new ArrayList<>();
        while (m.find()) {
            times.add(LocalTime.parse(m.group(1)).toNanoOfDay() / 1_000_000);
        }
        if (times.isEmpty()) {
            return "no 'purged' log lines";
        }
        long start = Instant.ofEpochMilli(startedAt).atOffset(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1_000_000;
        long locked = purgeStarted.atOffset(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1_000_000;
        long end = start + Math.round(run.wallSeconds() * 1000);
        long first = times.get(0);
        long last = times.get(times.size() - 1);
        return String.format(Locale.ROOT, "JVM, Camel and the lock %.2f s; then the catalog of %d snapshots, purge.json and "
                        + "%d manifests (HEAD and DELETE each, one after the other) %.2f s; then the snapshots' objects, "
                        + "one snapshot after the other, %.2f s (%.1f ms each); then %.2f s to exit",
                (locked - start) / 1000.0, SNAPSHOTS, times.size(), (first - locked) / 1000.0, (last - first) / 1000.0,
                (last - first) / (double) (times.size() - 1), (end - last) / 1000.0);
    }

    /**
     * The store's limit: the SDK alone lists the base path's snapshot folders, then each folder but the kept
     * one, and sends each 1,000 keys as one DeleteObjects request, {@code concurrency} requests in flight, the tool's client settings.
     */
    private void measureSdk(int round, int concurrency) throws Exception {
        String base = "purge-" + round + "-sdk-" + concurrency;
        String kept = base + "/" + writeHistory(base) + "/";
        ProcessMeter.settleDisk();
        AtomicLong deleted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Semaphore inFlight = new Semaphore(concurrency);
        try (S3Client client = S3ClientFactory.create(settings(base), concurrency + 4)) {
            // Folder by folder: S3Proxy's filesystem store walks every file under a listing's prefix for each
            // page, so one listing of the whole base path costs O(n) a page (measured: 1,034 against 3,744
            // objects/s at 200 snapshots); a folder's listing walks that folder only.
            List<String> folders = new ArrayList<>();
            client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(base + "/").delimiter("/")).commonPrefixes()
                    .forEach(p -> folders.add(p.prefix()));
            List<ObjectIdentifier> batch = new ArrayList<>(1000);
            for (String folder : folders) {
                if (folder.equals(kept) || !SnapshotName.isName(folder.substring(base.length() + 1, folder.length() - 1))) {
                    continue;
                }
                for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder)).contents()) {
                    batch.add(ObjectIdentifier.builder().key(object.key()).build());
                    if (batch.size() == 1000) {
                        send(client, batch, pool, inFlight, deleted, errors);
                        batch = new ArrayList<>(1000);
                    }
                }
            }
            if (!batch.isEmpty()) {
                send(client, batch, pool, inFlight, deleted, errors);
            }
            inFlight.acquire(concurrency);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (deleted.get() != expectedObjects || errors.get() > 0) {
            throw new IllegalStateException("the SDK deleted " + deleted + " objects, " + errors + " errors (expected "
                    + expectedObjects + ")");
        }
        double rate = deleted.get() / seconds;
        sdkRates.get(concurrency).add(rate);
        say(String.format(Locale.ROOT, "  SDK DeleteObjects x1000, %2d at once %7.2f s %8.0f objects/s", concurrency,
                seconds, rate));
        deleteAll(base + "/");
    }

    /**
     * Where the purge's time goes: on a history of {@value #REPLAY_SNAPSHOTS} snapshots the SDK alone makes
     * Purge's requests in Purge's order (per snapshot: HEAD and DELETE of manifest.json, all of them first;
     * then per snapshot a listing, one DeleteObjects of its ~100 data keys and its wait, a listing of its
     * {@code _runs/} and one DeleteObjects of those), each step timed. Then, on a second such history, the
     * same deletes as proposed: manifests in DeleteObjects batches, one listing per snapshot whose keys go
     * into shared batches of 1,000 with 8 in flight and no wait per snapshot, the {@code _runs/} keys of that
     * same listing sent once the data is gone.
     */
    private void replay(int round, int count) throws Exception {
        String base = "purge-" + round + "-replay";
        writeHistory(base, count);
        List<String> names = snapshotNames(base);
        StorageKeys keys = new StorageKeys(base);
        long[] nanos = new long[5];
        long objects = 0;
        ProcessMeter.settleDisk();
        double catalog;
        try (S3Client client = S3ClientFactory.create(settings(base), 24)) { // Purge's first step, as PurgeCommand's client
            long reading = System.nanoTime();
            int snapshots = new io.github.cassandrasnapshotter.catalog.BackupCatalog(
                    new io.github.cassandrasnapshotter.storage.BucketReader(client, bucket, json), base).readAll().size();
            catalog = (System.nanoTime() - reading) / 1e9;
            if (snapshots != count) {
                throw new IllegalStateException("the catalog read " + snapshots + " snapshots, not " + count);
            }
        }
        long started = System.nanoTime();
        try (S3Client client = S3ClientFactory.create(settings(base), 24)) {
            for (String name : names) {
                long a = System.nanoTime();
                client.headObject(b -> b.bucket(bucket).key(keys.manifestKey(name)));
                client.deleteObject(b -> b.bucket(bucket).key(keys.manifestKey(name)));
                nanos[0] += System.nanoTime() - a;
                objects++;
            }
            for (String name : names) {
                String prefix = keys.snapshotPrefix(name);
                String runs = prefix + StorageKeys.RUNS + "/";
                long a = System.nanoTime();
                List<ObjectIdentifier> data = new ArrayList<>();
                for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                    if (!object.key().startsWith(runs)) {
                        data.add(ObjectIdentifier.builder().key(object.key()).build());
                    }
                }
                long b1 = System.nanoTime();
                client.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(data).quiet(true)));
                long c = System.nanoTime();
                List<ObjectIdentifier> records = new ArrayList<>();
                for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(runs)).contents()) {
                    records.add(ObjectIdentifier.builder().key(object.key()).build());
                }
                long d1 = System.nanoTime();
                client.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(records).quiet(true)));
                long e = System.nanoTime();
                nanos[1] += b1 - a;
                nanos[2] += c - b1;
                nanos[3] += d1 - c;
                nanos[4] += e - d1;
                objects += data.size() + records.size();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int n = names.size();
        String line = String.format(Locale.ROOT, "round %d, Purge's requests by the SDK over %d snapshots: catalog (BackupCatalog."
                        + "readAll, 16 readers) %.2f s, then %.2f s, %.0f objects/s; per snapshot HEAD+DELETE manifest %.1f ms, LIST %.1f ms, DeleteObjects of %d keys %.1f ms, "
                        + "LIST _runs/ %.1f ms, DeleteObjects of %d keys %.1f ms",
                round, n, catalog, seconds, objects / seconds, ms(nanos[0], n), ms(nanos[1], n), dataKeys.size(), ms(nanos[2], n),
                ms(nanos[3], n), records.size() - 1, ms(nanos[4], n));
        say("  " + line);
        replays.add(line);
        deleteAll(base + "/");

        base = "purge-" + round + "-proposed";
        writeHistory(base, count);
        names = snapshotNames(base);
        StorageKeys proposedKeys = new StorageKeys(base);
        ProcessMeter.settleDisk();
        started = System.nanoTime();
        AtomicLong deleted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        int inFlightMax = 8;
        ExecutorService pool = Executors.newFixedThreadPool(inFlightMax);
        Semaphore inFlight = new Semaphore(inFlightMax);
        try (S3Client client = S3ClientFactory.create(settings(base), 24)) {
            Batches manifests = new Batches(client, pool, inFlight, deleted, errors);
            for (String name : names) {
                manifests.add(proposedKeys.manifestKey(name));
            }
            manifests.flush(inFlightMax);
            Batches data = new Batches(client, pool, inFlight, deleted, errors);
            List<String> records = new ArrayList<>();
            for (String name : names) {
                String prefix = proposedKeys.snapshotPrefix(name);
                String runs = prefix + StorageKeys.RUNS + "/";
                for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                    if (object.key().startsWith(runs)) {
                        records.add(object.key());
                    } else {
                        data.add(object.key());
                    }
                }
            }
            data.flush(inFlightMax);
            Batches runRecords = new Batches(client, pool, inFlight, deleted, errors);
            records.forEach(runRecords::add);
            runRecords.flush(inFlightMax);
        } finally {
            pool.shutdownNow();
        }
        seconds = (System.nanoTime() - started) / 1e9;
        if (errors.get() > 0 || deleted.get() != (long) n * (dataKeys.size() + this.records.size())) {
            throw new IllegalStateException("the proposed order deleted " + deleted + ", " + errors + " errors");
        }
        line = String.format(Locale.ROOT, "round %d, the proposed order by the SDK over %d snapshots: %.2f s, %.0f objects/s",
                round, n, seconds, deleted.get() / seconds);
        say("  " + line);
        replays.add(line);
        deleteAll(base + "/");
    }

    /** Keys sent in DeleteObjects batches of 1,000 as they come, across snapshots. */
    private final class Batches {
        private final S3Client client;
        private final ExecutorService pool;
        private final Semaphore inFlight;
        private final AtomicLong deleted;
        private final AtomicLong errors;
        private List<ObjectIdentifier> batch = new ArrayList<>(1000);

        Batches(S3Client client, ExecutorService pool, Semaphore inFlight, AtomicLong deleted, AtomicLong errors) {
            this.client = client;
            this.pool = pool;
            this.inFlight = inFlight;
            this.deleted = deleted;
            this.errors = errors;
        }

        void add(String key) {
            batch.add(ObjectIdentifier.builder().key(key).build());
            if (batch.size() == 1000) {
                sendBatch();
            }
        }

        void flush(int permits) throws InterruptedException {
            if (!batch.isEmpty()) {
                sendBatch();
            }
            inFlight.acquire(permits);
            inFlight.release(permits);
        }

        private void sendBatch() {
            try {
                send(client, batch, pool, inFlight, deleted, errors);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            batch = new ArrayList<>(1000);
        }
    }

    /** The snapshot folders under base, the newest (the kept one) left out, oldest first (Purge's order). */
    private List<String> snapshotNames(String base) {
        List<String> names = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(base + "/").delimiter("/")).commonPrefixes()
                .forEach(p -> names.add(p.prefix().substring(base.length() + 1, p.prefix().length() - 1)));
        names.removeIf(n -> !SnapshotName.isName(n));
        names.sort(null);
        names.remove(names.size() - 1);
        return names;
    }

    private static double ms(long nanos, int count) {
        return nanos / 1e6 / count;
    }

    private void send(S3Client client, List<ObjectIdentifier> keys, ExecutorService pool, Semaphore inFlight,
                      AtomicLong deleted, AtomicLong errors) throws InterruptedException {
        inFlight.acquire();
        pool.execute(() -> {
            try {
                DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                errors.addAndGet(response.errors().size());
                deleted.addAndGet(keys.size() - response.errors().size());
            } catch (RuntimeException e) {
                errors.addAndGet(keys.size());
            } finally {
                inFlight.release();
            }
        });
    }

    private void print() {
        double toolRate = median(toolRates);
        int best = 0;
        double bestRate = 0;
        for (Map.Entry<Integer, List<Double>> sdk : sdkRates.entrySet()) {
            if (median(sdk.getValue()) > bestRate) {
                bestRate = median(sdk.getValue());
                best = sdk.getKey();
            }
        }
        double wall = median(tool.stream().map(ProcessMeter.Measurement::wallSeconds).toList());
        double cpu = median(tool.stream().map(ProcessMeter.Measurement::cpuSeconds).toList());
        double rss = tool.stream().mapToLong(ProcessMeter.Measurement::peakRssBytes).max().orElse(0) / MB;
        System.out.println();
        System.out.println("| measurement (" + expectedObjects + " objects of " + (SNAPSHOTS - 1) + " snapshots) | wall (median) | objects/s | CPU s | peak RSS |");
        System.out.println("|---|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| purge --keep-last 1 (jar) | %.2f s | %.0f | %.1f | %.0f MB |%n", wall, toolRate, cpu, rss);
        for (Map.Entry<Integer, List<Double>> sdk : sdkRates.entrySet()) {
            double rate = median(sdk.getValue());
            System.out.printf(Locale.ROOT, "| SDK alone, DeleteObjects of 1,000 keys, %d at once%s | %.2f s | %.0f | - | - |%n",
                    sdk.getKey(), sdk.getKey() == best ? " (best)" : "", expectedObjects / rate, rate);
        }
        System.out.println();
        double ratio = toolRate / bestRate;
        System.out.printf(Locale.ROOT, "- %s purge >= 0.8 x the store's limit (objects per second, SDK at %d at once): ratio %.2f%n",
                ratio >= 0.8 ? "MET" : "MISSED", best, ratio);
        System.out.printf(Locale.ROOT, "- %s purge peak RSS < 256 MB: %.0f MB%n", rss < 256 ? "MET" : "MISSED", rss);
        StringBuilder rounds = new StringBuilder("- per round (objects/s): ");
        for (int r = 0; r < toolRates.size(); r++) {
            final int round = r;
            double roundBest = sdkRates.values().stream().mapToDouble(v -> v.get(round)).max().orElse(Double.NaN);
            rounds.append(String.format(Locale.ROOT, "%sround %d purge %.0f, SDK %s, ratio %.2f", r == 0 ? "" : "; ",
                    r + 1, toolRates.get(r), sdkRates.entrySet().stream()
                            .map(e -> e.getKey() + ":" + String.format(Locale.ROOT, "%.0f", e.getValue().get(round)))
                            .reduce((a, b) -> a + " " + b).orElse(""), toolRates.get(r) / roundBest));
        }
        System.out.println(rounds);
        for (int r = 0; r < tool.size(); r++) {
            System.out.printf(Locale.ROOT, "- purge round %d: %.2f s, %.1f CPU s, %.0f MB peak RSS%n", r + 1,
                    tool.get(r).wallSeconds(), tool.get(r).cpuSeconds(), tool.get(r).peakRssBytes() / MB);
        }
        phases.forEach(p -> System.out.println("- purge " + p));
        for (int r = 0; r < otherTool.size(); r++) {
            final int round = r;
            double roundBest = sdkRates.values().stream().mapToDouble(v -> v.get(round)).max().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "- bench.baseline.jar's purge, round %d: %.2f s, %.0f objects/s, ratio to the "
                            + "round's best SDK %.2f, %.1f CPU s, %.0f MB peak RSS; %s%n", r + 1, otherTool.get(r).wallSeconds(),
                    otherRates.get(r), otherRates.get(r) / roundBest, otherTool.get(r).cpuSeconds(),
                    otherTool.get(r).peakRssBytes() / MB, otherPhases.get(r));
        }
        replays.forEach(p -> System.out.println("- " + p));
        System.out.printf(Locale.ROOT, "- set-up (not measured): %d histories of %d objects, median %.1f s each%n",
                setups.size(), (long) SNAPSHOTS * (dataKeys.size() + records.size()), median(setups));
        System.out.println("- machine at the end: " + uptime());
    }

    private long countSnapshotObjects(String base) {
        long count = 0;
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(base + "/")).contents()) {
            if (!object.key().startsWith(base + "/" + StorageKeys.STATUS + "/")) {
                count++;
            }
        }
        return count;
    }

    /** Every object under {@code prefix}, by DeleteObjects batches (clean-up, not measured). */
    private void deleteAll(String prefix) {
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
        }
        for (int from = 0; from < batch.size(); from += 1000) {
            List<ObjectIdentifier> keys = batch.subList(from, Math.min(batch.size(), from + 1000));
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
        }
    }

    private S3Settings settings(String base) {
        return new S3Settings(bucket, base, S3Settings.DEFAULT_REGION, server.endpoint(), S3ProxyServer.IDENTITY,
                S3ProxyServer.CREDENTIAL, false, null);
    }

    static String uptime() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().replaceFirst("^(\\S+ \\S+ \\S+).*", "load average $1");
        } catch (java.io.IOException e) {
            return "load average unknown";
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
    }
}
