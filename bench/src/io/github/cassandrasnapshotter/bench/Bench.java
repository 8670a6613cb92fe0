package io.github.cassandrasnapshotter.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.ThrottlingProxy;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.InetSocketAddress;
import java.net.URI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark (bench/run): every figure of issue 7 measured side by side in one run, on one data
 * set, medians over {@code bench.runs} runs, printed and written to bench/RESULTS.md above the
 * previous results.
 */
public final class Bench {
    private static final String BUCKET = "bench";
    private static final long MB = 1024 * 1024;
    private static final int PART_MB = 64;
    private static final long PROXY_RATE = 25L * 1000 * 1000;
    private static final int COPIES_AT_ONCE = 8;
    /** Parts in flight of the raw upload when it is not probed (bench.only=ingest). */
    private static final int INGEST_CONCURRENCY = 16;

    private final Path benchDir;
    private final int runs;
    private final BenchData data;
    private final S3ProxyServer s3Server;
    private final S3Client s3;
    private final Results results;
    private final Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
            "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL, "SNAPSHOTTER_JAR", SnapshotterProcess.jar().toString(),
            "JAVA", SnapshotterProcess.java());

    private Bench(Path benchDir, int runs, BenchData data, S3ProxyServer s3Server, S3Client s3, Results results) {
        this.benchDir = benchDir;
        this.runs = runs;
        this.data = data;
        this.s3Server = s3Server;
        this.s3 = s3;
        this.results = results;
    }

    public static void main(String[] args) throws Exception {
        Path benchDir = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        long sstableBytes = Long.getLong("bench.sstables.mb", 2048) * MB;
        long bigBytes = Long.getLong("bench.bigfile.mb", 5120) * MB;
        int runs = Integer.getInteger("bench.runs", 3);
        Path resultsFile = Path.of(System.getProperty("bench.results", "bench/RESULTS.md"));
        if ("purge".equals(System.getProperty("bench.only", "all"))) {
            purge(benchDir, runs); // needs no data set
            return;
        }
        BenchData data = BenchData.prepare(benchDir, sstableBytes, bigBytes);
        Path store = benchDir.resolve("store");
        BenchData.delete(store);
        Files.createDirectories(benchDir.resolve("s3"));
        try (S3ProxyServer server = S3ProxyServer.startOnDisk(benchDir.resolve("s3"), store);
             S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            Results results = new Results(runs, BenchData.size(data.dataDir().resolve(BenchData.KEYSPACE)),
                    BenchData.size(data.dataDir().resolve(BenchData.BIG_KEYSPACE)));
            new Bench(benchDir, runs, data, server, s3, results).run();
            results.print(System.out);
            if ("all".equals(System.getProperty("bench.only", "all"))) {
                results.write(resultsFile);
                System.out.println("[bench] results written to " + resultsFile.toAbsolutePath());
            }
        } finally {
            BenchData.delete(store);
        }
    }

    /** {@code bench.only=purge}: its own store, without the data set ({@link PurgeBench}); printed only. */
    private static void purge(Path benchDir, int runs) throws Exception {
        // In memory (tmpfs) when there is one: this machine's shared disk wrote 386 small files a second, so
        // ten histories of 100,000 objects would not fit in a run, and other builds' writes decide its speed.
        Path shm = Path.of("/dev/shm");
        Path store = Path.of(System.getProperty("bench.purge.store",
                Files.isDirectory(shm) ? shm.resolve("cassandra-snapshotter-bench-purge").toString()
                        : benchDir.resolve("purge-store").toString()));
        System.out.println("[bench] purge: S3Proxy's filesystem store in " + store);
        BenchData.delete(store);
        Files.createDirectories(benchDir.resolve("s3"));
        try (S3ProxyServer server = S3ProxyServer.startOnDisk(benchDir.resolve("s3"), store);
             S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.IDENTITY,
                    "AWS_SECRET_ACCESS_KEY", S3ProxyServer.CREDENTIAL, "SNAPSHOTTER_JAR", SnapshotterProcess.jar().toString(),
                    "JAVA", SnapshotterProcess.java());
            new PurgeBench(server, s3, BUCKET, benchDir, store, env, runs).run();
        } finally {
            BenchData.delete(store);
        }
    }

    /**
     * {@code bench.only}: {@code all} (every measurement, written to RESULTS.md), or one part, printed
     * only: {@code list}, {@code differential} (a first backup, then the differential and incremental
     * runs), {@code restore} (a first backup, then the restores; {@code bench.baseline.jar} adds another
     * jar's beside ours), {@code ingest} (our backup beside the raw upload, 16 parts in flight) or {@code cpu} (our
     * backup beside the old way's); {@code purge} runs apart, before the data set is made ({@link #purge}).
     */
    private void run() throws Exception {
        String only = System.getProperty("bench.only", "all");
        switch (only) {
            case "all" -> {
                String snapshotBase = measureBackups();
                measureProxied();
                measureRestore(snapshotBase);
                measureDifferential(snapshotBase);
                measureEncryption();
                listSnapshots();
            }
            case "list" -> listSnapshots();
            case "restore" -> measureRestore(firstBackup());
            case "differential" -> measureDifferential(firstBackup());
            case "ingest" -> {
                List<Path> compressed = compressedCopies();
                backupsBeside("store ingest limit",
                        round -> ProcessMeter.Measurement.wallOnly(rawIngest(compressed, INGEST_CONCURRENCY, "raw-" + round)),
                        "raw-");
            }
            case "cpu" -> backupsBeside("old way", round -> oldWay(s3Server.endpoint(), "old-" + round), "old-");
            case "encryption" -> measureEncryption();
            default -> throw new IllegalArgumentException("bench.only: all, list, differential, restore, ingest, cpu, purge or "
                    + "encryption, not " + only);
        }
        holdStore();
    }

    /**
     * {@code bench.keep.store=<file>}: for profiling a command by hand against the measured objects, the
     * store stays up until that file (which holds its endpoint) is removed. Maven gives the bench no
     * standard input to wait on.
     */
    private void holdStore() throws IOException, InterruptedException {
        String keep = System.getProperty("bench.keep.store", "");
        if (keep.isBlank()) {
            return;
        }
        Path hold = Path.of(keep);
        Files.writeString(hold, s3Server.endpoint() + "\n");
        say("store kept at " + s3Server.endpoint() + " until " + hold + " is removed");
        while (Files.exists(hold)) {
            Thread.sleep(500);
        }
    }

    /** A focused run: in each round our backup, then one other measurement, each under its own prefix. */
    private void backupsBeside(String name, RoundMeasurement other, String otherPrefix) throws Exception {
        for (int round = 1; round <= runs; round++) {
            say("round " + round + " of " + runs);
            results.add("backup lzo", results.sourceBytes(), tool("lzo-" + round, List.of()));
            deletePrefix("lzo-" + round + "/");
            results.add(name, results.sourceBytes(), other.measure(round));
            deletePrefix(otherPrefix + round + "/");
        }
    }

    private interface RoundMeasurement {
        ProcessMeter.Measurement measure(int round) throws Exception;
    }

    /** Backups, the old way, the raw ingest and the agent alone, round by round; returns the kept backup's base. */
    private String measureBackups() throws Exception {
        long all = results.sourceBytes();
        List<Path> compressed = compressedCopies();
        say("store ingest limit: probing the concurrency of raw multipart uploads");
        int bestConcurrency = bestIngestConcurrency(compressed);
        String snapshotBase = null;
        for (int round = 1; round <= runs; round++) {
            say("round " + round + " of " + runs);
            String lzoBase = "lzo-" + round;
            results.add("backup lzo", all, tool(lzoBase, List.of()));
            results.sent("backup lzo", stored(lzoBase + "/"));
            if (snapshotBase == null) {
                snapshotBase = lzoBase;
            } else {
                deletePrefix(lzoBase + "/");
            }
            results.add("backup none", all, tool("none-" + round, List.of("--compression", "none")));
            results.sent("backup none", stored("none-" + round + "/"));
            deletePrefix("none-" + round + "/");
            results.add("old way", all, oldWay(s3Server.endpoint(), "old-" + round));
            results.sent("old way", stored("old-" + round + "/"));
            deletePrefix("old-" + round + "/");
            double seconds = rawIngest(compressed, bestConcurrency, "raw-" + round);
            results.add("store ingest limit", all, ProcessMeter.Measurement.wallOnly(seconds));
            results.sent("store ingest limit", RawIngest.size(compressed));
            deletePrefix("raw-" + round + "/");
            results.add("agent alone, 5 GB file", results.bigBytes(), agentAlone("agent-" + round));
            results.sent("agent alone, 5 GB file", stored("agent-" + round + "/"));
            deletePrefix("agent-" + round + "/");
        }
        results.note("store ingest limit: AWS SDK multipart, " + PART_MB + " MB parts, " + bestConcurrency
                + " parts in flight (best of 8, 16, 32), the lzop-compressed bytes");
        return snapshotBase;
    }

    private void measureProxied() throws Exception {
        long all = results.sourceBytes();
        URI store = URI.create(s3Server.endpoint());
        try (ThrottlingProxy proxy = new ThrottlingProxy(new InetSocketAddress(store.getHost(), store.getPort()), PROXY_RATE)) {
            String proxied = "http://127.0.0.1:" + proxy.port();
            for (int round = 1; round <= runs; round++) {
                say("25 MB/s per connection, round " + round);
                results.add("backup lzo, 25 MB/s per connection", all,
                        tool("plzo-" + round, List.of(), proxied));
                results.sent("backup lzo, 25 MB/s per connection", stored("plzo-" + round + "/"));
                deletePrefix("plzo-" + round + "/");
                results.add("old way, 25 MB/s per connection", all, oldWay(proxied, "pold-" + round));
                results.sent("old way, 25 MB/s per connection", stored("pold-" + round + "/"));
                deletePrefix("pold-" + round + "/");
            }
        }
    }

    /**
     * Client-side encryption's cost ({@code --encryption-key-file}): in each round a plain backup and an
     * encrypted one of the whole data set, then the restore of each, side by side.
     */
    private void measureEncryption() throws Exception {
        long all = results.sourceBytes();
        for (int round = 1; round <= runs; round++) {
            say("encryption, round " + round);
            String plain = "plain-" + round;
            String encrypted = "enc-" + round;
            results.add("backup lzo, not encrypted", all, tool(plain, List.of()));
            results.add("backup lzo, encrypted", all, tool(encrypted, List.of(), s3Server.endpoint(), true, keyFile()));
            results.sent("backup lzo, encrypted", stored(encrypted + "/"));
            results.add("restore lzo, not encrypted", all, restoreAll(plain, s3Server.endpoint(), env));
            results.add("restore lzo, encrypted", all, restoreAll(encrypted, s3Server.endpoint(), env,
                    "--encryption-key-file", keyFile().toString()));
            deletePrefix(plain + "/");
            deletePrefix(encrypted + "/");
        }
    }

    /** The bench's key file, made once. */
    private Path keyFile() throws IOException {
        Path file = benchDir.resolve("bench-keys.json");
        if (!Files.exists(file)) {
            io.github.cassandrasnapshotter.crypto.KeyFile.create(file, io.github.cassandrasnapshotter.crypto.ClientKeys.generate());
        }
        return file;
    }

    /** One backup of the data set for a focused run to restore or re-back up; returns its base path. */
    private String firstBackup() throws Exception {
        say("first backup");
        results.add("backup lzo", results.sourceBytes(), tool("lzo-1", List.of()));
        return "lzo-1";
    }

    /**
     * Restores of the whole data set, straight from the store (also with one GET per file) and through
     * the 25 MB/s-per-connection proxy; with {@code bench.baseline.jar} the same restores by that jar
     * too, round by round beside ours.
     */
    private void measureRestore(String snapshotBase) throws Exception {
        String baseline = System.getProperty("bench.baseline.jar", "");
        URI store = URI.create(s3Server.endpoint());
        try (ThrottlingProxy proxy = new ThrottlingProxy(new InetSocketAddress(store.getHost(), store.getPort()), PROXY_RATE)) {
            String proxied = "http://127.0.0.1:" + proxy.port();
            for (int round = 1; round <= runs; round++) {
                say("restore, round " + round);
                results.add("restore lzo", results.sourceBytes(), restoreAll(snapshotBase, s3Server.endpoint(), env));
                results.add("restore lzo, one GET per file (--connections-per-file 1)", results.sourceBytes(),
                        restoreAll(snapshotBase, s3Server.endpoint(), env, "--connections-per-file", "1"));
                results.add("restore lzo, 25 MB/s per connection", results.sourceBytes(), restoreAll(snapshotBase, proxied, env));
                if (!baseline.isBlank()) {
                    Map<String, String> baselineEnv = new HashMap<>(env);
                    baselineEnv.put("SNAPSHOTTER_JAR", Path.of(baseline).toAbsolutePath().toString());
                    results.add("restore lzo (baseline jar)", results.sourceBytes(),
                            restoreAll(snapshotBase, s3Server.endpoint(), baselineEnv));
                    results.add("restore lzo, 25 MB/s per connection (baseline jar)", results.sourceBytes(),
                            restoreAll(snapshotBase, proxied, baselineEnv));
                }
            }
        }
    }

    /** Both keyspaces restored into an empty folder, one command each, as one measurement. */
    private ProcessMeter.Measurement restoreAll(String base, String endpoint, Map<String, String> commandEnv,
                                                String... flags) throws Exception {
        Path restoreDir = benchDir.resolve("restored");
        BenchData.delete(restoreDir);
        ProcessMeter.Measurement sstables = restore(base, BenchData.KEYSPACE, restoreDir, endpoint, commandEnv, flags);
        ProcessMeter.Measurement big = restore(base, BenchData.BIG_KEYSPACE, restoreDir, endpoint, commandEnv, flags);
        BenchData.delete(restoreDir);
        return new ProcessMeter.Measurement(sstables.wallSeconds() + big.wallSeconds(), sstables.cpuSeconds() + big.cpuSeconds(),
                Math.max(sstables.peakRssBytes(), big.peakRssBytes()), 0, "");
    }

    /**
     * Differential re-backups of the unchanged data under the first backup's base: one that names the
     * stored objects (the default), with the bytes it adds to the bucket against the first backup's and
     * beside an incremental run that finds nothing new (the fixed cost of a run and its listing); then
     * one with {@code --self-contained} beside the store's copy limit (the same objects copied by the
     * SDK alone); then incremental runs.
     */
    private void measureDifferential(String snapshotBase) throws Exception {
        long all = results.sourceBytes();
        String first = snapshots(snapshotBase).get(0);
        long firstStored = stored(snapshotBase + "/" + first + "/");
        for (int round = 1; round <= runs; round++) {
            say("differential re-backup of unchanged data, round " + round);
            long before = stored(snapshotBase + "/");
            results.add("differential --new-snapshot", all, tool(snapshotBase, List.of()));
            long added = stored(snapshotBase + "/") - before;
            results.note(String.format(java.util.Locale.ROOT, "%s a --new-snapshot of unchanged data adds < 1%% of the "
                            + "first backup's stored bytes to the bucket (round %d): %d bytes, %.4f%% of %s",
                    added < firstStored / 100 ? "MET" : "MISSED", round, added, 100.0 * added / firstStored, mb(firstStored)));
            say("incremental run with nothing new (the fixed cost of a run), round " + round);
            results.add("incremental run, nothing new", all, tool(snapshotBase, List.of(), s3Server.endpoint(), false));
            clearSnapshotsBut(snapshotBase, first);
            say("self-contained differential re-backup of unchanged data, round " + round);
            results.add("differential --new-snapshot --self-contained", all, tool(snapshotBase, List.of("--self-contained")));
            clearSnapshotsBut(snapshotBase, first);
            double seconds = rawCopies(snapshotBase + "/" + first + "/", "copies-" + round + "/");
            results.add("store copy limit", all, ProcessMeter.Measurement.wallOnly(seconds));
            deletePrefix("copies-" + round + "/");
        }
        results.note("store copy limit: every data object of the first backup copied by the SDK alone, one "
                + "CopyObject each, " + COPIES_AT_ONCE + " at a time (as the tool's --files-at-once)");
        for (int round = 1; round <= runs; round++) {
            say("incremental run after 1% new data, round " + round);
            List<Path> added = addNewData(all / 100, round);
            long addedBytes = 0;
            for (Path file : added) {
                addedBytes += Files.size(file);
            }
            results.add("incremental run, 1% new", addedBytes, tool(snapshotBase, List.of(), s3Server.endpoint(), false));
            for (Path file : added) {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * 1,000 snapshots of ours: 999 manifests written directly, then one real backup (of a small
     * stand-in node), which makes the base path's catalog from them, as runs leave it.
     */
    private void listSnapshots() throws Exception {
        writeSnapshots("list1000", 999);
        Path tiny = benchDir.resolve("tiny-node");
        BenchData.delete(tiny);
        io.github.cassandrasnapshotter.testsupport.TestNode.create(tiny, "localhost").addSampleTables();
        ProcessMeter.Measurement backup = ProcessMeter.run(tiny, env, toolCommand("list1000", s3Server.endpoint(),
                List.of("backup", "--hosts", "localhost", "--nodetool-path", "bin/nodetool", "--cassandra-conf-path",
                        "conf", "--quiet")));
        backup.check("backup of the small node");
        for (int round = 1; round <= runs; round++) {
            ProcessMeter.Measurement list = ProcessMeter.run(benchDir, env, toolCommand("list1000", s3Server.endpoint(),
                    List.of("list")));
            list.check("list");
            if (!list.output().startsWith("1000 snapshot(s)")) {
                throw new IllegalStateException("list did not list 1000 snapshots: " + list.output().lines().findFirst());
            }
            results.add("list, 1000 snapshots", 0, list);
        }
    }

    private ProcessMeter.Measurement tool(String base, List<String> extra) throws Exception {
        return tool(base, extra, s3Server.endpoint());
    }

    private ProcessMeter.Measurement tool(String base, List<String> extra, String endpoint) throws Exception {
        return tool(base, extra, endpoint, true);
    }

    /** One backup by our command line, local mode: the node agent runs in the measured process. */
    private ProcessMeter.Measurement tool(String base, List<String> extra, String endpoint, boolean newSnapshot)
            throws Exception {
        return tool(base, extra, endpoint, newSnapshot, null);
    }

    /** @param keyFile the key file of an encrypted backup, or null */
    private ProcessMeter.Measurement tool(String base, List<String> extra, String endpoint, boolean newSnapshot,
                                          Path keyFile) throws Exception {
        List<String> args = new ArrayList<>(List.of("backup", "--hosts", "localhost", "--nodetool-path", "bin/nodetool",
                "--cassandra-conf-path", "conf", "--quiet"));
        if (newSnapshot) {
            args.add("--new-snapshot");
        }
        args.addAll(extra);
        List<String> command = toolCommand(base, endpoint, args);
        if (keyFile != null) {
            command.addAll(1, List.of("--encryption-key-file", keyFile.toString()));
        }
        ProcessMeter.Measurement run = ProcessMeter.run(data.nodeRoot(), env, command);
        run.check("backup " + String.join(" ", extra));
        if (!run.output().contains("COMPLETE")) {
            throw new IllegalStateException("backup not complete:\n" + run.output());
        }
        return run;
    }

    /**
     * The node agent by itself, as the coordinator starts it on a node over SSH ({@code agent}, its job
     * on stdin), with the default settings of config/application.properties, on the large file alone.
     */
    private ProcessMeter.Measurement agentAlone(String base) throws Exception {
        String tag = "bench-agent";
        Process snapshot = new ProcessBuilder("bin/nodetool", "snapshot", "-t", tag, BenchData.BIG_KEYSPACE)
                .directory(data.nodeRoot().toFile()).redirectErrorStream(true).start();
        snapshot.getInputStream().readAllBytes();
        if (snapshot.waitFor() != 0) {
            throw new IllegalStateException("stand-in nodetool snapshot failed");
        }
        java.util.Properties defaults = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("config/application.properties"))) {
            defaults.load(in);
        }
        S3Settings settings = new S3Settings(BUCKET, base, S3Settings.DEFAULT_REGION, s3Server.endpoint(),
                S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, false, null);
        AgentJob job = new AgentJob(Version.CURRENT, "localhost", tag, tag, FileKind.SNAPSHOT, settings,
                List.of(BenchData.BIG_KEYSPACE), "", List.of(), "conf",
                Compression.parse(defaults.getProperty("snapshotter.compression")),
                Integer.parseInt(defaults.getProperty("snapshotter.buffer-size")),
                Integer.parseInt(defaults.getProperty("snapshotter.files-at-once")),
                Integer.parseInt(defaults.getProperty("snapshotter.parts-in-flight")), 0, List.of(), false, true);
        try {
            ProcessMeter.Measurement run = ProcessMeter.run(data.nodeRoot(), env,
                    List.of(Path.of("bin/cassandra-snapshotter").toAbsolutePath().toString(), "agent"),
                    new ObjectMapper().writeValueAsBytes(job));
            run.check("agent");
            if (!run.output().contains("\"filesFailed\":0")) {
                throw new IllegalStateException("the agent did not store every file:\n" + run.output());
            }
            return run;
        } finally {
            new ProcessBuilder("bin/nodetool", "clearsnapshot", "-t", tag).directory(data.nodeRoot().toFile())
                    .start().waitFor();
        }
    }

    private ProcessMeter.Measurement restore(String base, String keyspace, Path restoreDir, String endpoint,
                                             Map<String, String> commandEnv, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", "--snapshot-name", "LATEST", "--keyspace", keyspace,
                "--restore-dir", restoreDir.toString(), "--quiet"));
        List<String> restoreFlags = new ArrayList<>(List.of(flags));
        List<String> command = toolCommand(base, endpoint, args);
        int keyFlag = restoreFlags.indexOf("--encryption-key-file");
        if (keyFlag >= 0) { // a global flag: before the command
            command.addAll(1, List.of(restoreFlags.remove(keyFlag), restoreFlags.remove(keyFlag)));
        }
        command.addAll(restoreFlags);
        ProcessMeter.Measurement run = ProcessMeter.run(benchDir, commandEnv, command);
        run.check("restore " + keyspace);
        return run;
    }

    /** Our command line as an operator runs it: the launcher, which uses the build's class-data archive. */
    private static List<String> toolCommand(String base, String endpoint, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of("bin/cassandra-snapshotter").toAbsolutePath().toString(),
                "--s3-bucket-name", BUCKET, "--s3-base-path", base, "--s3-endpoint", endpoint, "--aws-keys-from-env"));
        command.addAll(args);
        return command;
    }

    private ProcessMeter.Measurement oldWay(String endpoint, String prefix) throws Exception {
        List<String> files = new ArrayList<>(data.liveFiles(BenchData.KEYSPACE));
        files.addAll(data.liveFiles(BenchData.BIG_KEYSPACE));
        Path list = benchDir.resolve("old-way-files.txt");
        Files.write(list, files);
        // The same JVM settings as our launcher's, so that neither side pays for the other's collector.
        ProcessMeter.Measurement run = ProcessMeter.run(benchDir, env, List.of(SnapshotterProcess.java(),
                "-XX:+UseSerialGC", "-Xms32m", "-Xmn16m", "-XX:PretenureSizeThreshold=1m", "-cp",
                System.getProperty("java.class.path"), OldWayBackup.class.getName(), endpoint, BUCKET, prefix,
                data.dataDir().toString(), list.toString()));
        run.check("old way");
        return run;
    }

    /** Every source file lzop-compressed once (lzop's default level), for the raw ingest measurement. */
    private List<Path> compressedCopies() throws Exception {
        Path dir = benchDir.resolve("lzo");
        Path ready = dir.resolve(".ready");
        List<String> files = new ArrayList<>(data.liveFiles(BenchData.KEYSPACE));
        files.addAll(data.liveFiles(BenchData.BIG_KEYSPACE));
        List<Path> copies = new ArrayList<>();
        for (String file : files) {
            copies.add(dir.resolve(file.replace('/', '_') + ".lzo"));
        }
        if (Files.exists(ready)) {
            return copies;
        }
        say("lzop-compressing a copy of the data set for the raw ingest measurement");
        BenchData.delete(dir);
        Files.createDirectories(dir);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path source = data.dataDir().resolve(files.get(i));
                Path target = copies.get(i);
                done.add(pool.submit(() -> new ProcessBuilder("lzop", "-q", "-o", target.toString(), source.toString())
                        .inheritIO().start().waitFor()));
            }
            for (Future<Integer> status : done) {
                if (status.get() != 0) {
                    throw new IllegalStateException("lzop failed");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Files.writeString(ready, "");
        return copies;
    }

    private int bestIngestConcurrency(List<Path> compressed) throws Exception {
        int best = 0;
        double bestSeconds = Double.MAX_VALUE;
        for (int concurrency : List.of(8, 16, 32)) {
            double seconds = rawIngest(compressed, concurrency, "probe-" + concurrency);
            deletePrefix("probe-" + concurrency + "/");
            say("  " + concurrency + " parts in flight: " + String.format("%.1f s", seconds));
            if (seconds < bestSeconds) {
                bestSeconds = seconds;
                best = concurrency;
            }
        }
        return best;
    }

    private double rawIngest(List<Path> compressed, int concurrency, String prefix) throws Exception {
        ProcessMeter.settleDisk();
        S3Settings settings = new S3Settings(BUCKET, prefix, S3Settings.DEFAULT_REGION, s3Server.endpoint(),
                S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, false, null);
        try (S3Client client = S3ClientFactory.create(settings, concurrency)) {
            return RawIngest.upload(client, BUCKET, prefix, compressed, (int) (PART_MB * MB), concurrency);
        }
    }

    /** Seconds the store takes to copy every data object (.lzo) under {@code prefix} to {@code target}. */
    private double rawCopies(String prefix, String target) throws Exception {
        List<S3Object> objects = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
                .contents()) {
            if (object.key().endsWith(".lzo")) {
                objects.add(object);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(COPIES_AT_ONCE);
        ProcessMeter.settleDisk();
        long started = System.nanoTime();
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (S3Object object : objects) {
                copies.add(pool.submit(() -> s3.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(object.key())
                        .destinationBucket(BUCKET).destinationKey(target + object.key().substring(prefix.length())))));
            }
            for (Future<?> copy : copies) {
                copy.get();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** New SSTables of about {@code bytes} in events_lz4, with their backups/ links, as a flush leaves them. */
    private List<Path> addNewData(long bytes, int round) throws Exception {
        Path table;
        try (var tables = Files.list(data.dataDir().resolve(BenchData.KEYSPACE))) {
            table = tables.filter(p -> p.getFileName().toString().startsWith("events_lz4-")).findFirst().orElseThrow();
        }
        Path source = data.dataDir().resolve(data.liveFiles(BenchData.BIG_KEYSPACE).get(0));
        String name = "nb-" + (9000 + round) + "-big-Data.db";
        Path live = table.resolve(name);
        try (var in = Files.newInputStream(source); var out = Files.newOutputStream(live)) {
            in.skipNBytes(round * bytes);
            out.write(in.readNBytes((int) bytes));
        }
        Path link = table.resolve("backups").resolve(name);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createLink(link, live);
        return List.of(live);
    }

    private void writeSnapshots(String base, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        DateTimeFormatter names = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
        LocalDateTime start = LocalDateTime.of(2024, 1, 1, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = names.format(start.plusHours(i));
                SnapshotManifest manifest = new SnapshotManifest(name, base, List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"),
                        null, "", SnapshotManifest.FORMAT, Version.CURRENT, start.plusHours(i) + "Z", List.of(), "lzo",
                        List.of(name), 120, 1_000_000_000L, 600_000_000L, List.of(), null);
                byte[] body = json.writeValueAsBytes(manifest);
                puts.add(pool.submit(() -> s3.putObject(b -> b.bucket(BUCKET).key(base + "/" + name + "/manifest.json"),
                        RequestBody.fromBytes(body))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void clearSnapshotsBut(String base, String kept) {
        for (String snapshot : snapshots(base)) {
            if (!snapshot.equals(kept)) {
                deletePrefix(base + "/" + snapshot + "/");
            }
        }
    }

    private List<String> snapshots(String base) {
        List<String> names = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(base + "/").delimiter("/")).commonPrefixes()
                .forEach(p -> names.add(p.prefix().substring(base.length() + 1, p.prefix().length() - 1)));
        names.removeIf(n -> !n.matches("\\d{14}"));
        names.sort(null);
        return names;
    }

    /** Bytes stored under a prefix: what was sent to the store. */
    private long stored(String prefix) {
        long total = 0;
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
                .contents()) {
            total += object.size();
        }
        return total;
    }

    private void deletePrefix(String prefix) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET).prefix(prefix).build())
                .contents()) {
            keys.add(object.key());
        }
        keys.parallelStream().forEach(key -> s3.deleteObject(b -> b.bucket(BUCKET).key(key)));
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / (double) MB);
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
    }

}
