package io.github.cassandrasnapshotter.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.github.cassandrasnapshotter.testsupport.CassandraNode;
import io.github.cassandrasnapshotter.testsupport.FreePorts;
import io.github.cassandrasnapshotter.testsupport.TempFolders;
import io.github.cassandrasnapshotter.testsupport.TestNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The benchmark's data set, made once and kept in {@code <bench dir>/node}: a node's data folder as
 * Cassandra lays it out, holding real SSTables that a real Cassandra 5.0.9 node wrote (keyspace
 * {@code bench}: {@code events_lz4} with the default LZ4 compression, {@code events_plain} with
 * compression off) and one single large file (keyspace {@code bigks}) made of those SSTables' bytes.
 * The node compacts as in service (size-tiered), so each table has a few SSTables.
 * The node is the test stand-in (a {@code nodetool} script that hard-links snapshots), so that no
 * Cassandra process takes CPU from the measurements.
 */
final class BenchData {
    static final String KEYSPACE = "bench";
    static final String BIG_KEYSPACE = "bigks";
    private static final String[] WORDS = {"order", "customer", "shipped", "pending", "warehouse", "invoice",
            "refund", "payment", "delivered", "cart", "session", "mobile", "desktop", "checkout", "coupon", "review"};

    private final Path node;

    private BenchData(Path node) {
        this.node = node;
    }

    Path nodeRoot() {
        return node;
    }

    Path dataDir() {
        return node.resolve("data");
    }

    static BenchData prepare(Path benchDir, long sstableBytes, long bigFileBytes) throws Exception {
        Path node = benchDir.resolve("node");
        Path done = benchDir.resolve("data-ready");
        String wanted = "compacted " + sstableBytes + " " + bigFileBytes;
        if (Files.exists(done) && Files.readString(done).equals(wanted)) {
            say("data set: reusing " + node);
            try (InputStream script = BenchData.class.getResourceAsStream("/node/nodetool")) {
                Files.copy(script, node.resolve("bin/nodetool"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(node.resolve("bin/nodetool"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return new BenchData(node);
        }
        delete(benchDir);
        Files.createDirectories(benchDir);
        TestNode.create(node, "localhost");
        BenchData data = new BenchData(node);
        data.writeSstables(benchDir.resolve("cassandra"), sstableBytes);
        data.writeBigFile(bigFileBytes);
        Files.writeString(done, wanted);
        return data;
    }

    private void writeSstables(Path cassandraRoot, long targetBytes) throws Exception {
        say("data set: starting Cassandra 5.0.9 to write about " + Bench.mb(targetBytes) + " of SSTables");
        try (CassandraNode cassandra = CassandraNode.start(cassandraRoot, "127.0.0.1", "127.0.0.1", FreePorts.find(),
                FreePorts.find());
             CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", cassandra.nativePort()))
                     .withLocalDatacenter("datacenter1").build()) {
            cql.execute("CREATE KEYSPACE " + KEYSPACE + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            String columns = " (sensor int, ts bigint, kind text, value double, payload text, PRIMARY KEY (sensor, ts))";
            cql.execute("CREATE TABLE " + KEYSPACE + ".events_lz4" + columns);
            cql.execute("CREATE TABLE " + KEYSPACE + ".events_plain" + columns + " WITH compression = {'enabled': 'false'}");
            List<PreparedStatement> inserts = List.of(
                    cql.prepare("INSERT INTO " + KEYSPACE + ".events_lz4 (sensor, ts, kind, value, payload) VALUES (?, ?, ?, ?, ?)"),
                    cql.prepare("INSERT INTO " + KEYSPACE + ".events_plain (sensor, ts, kind, value, payload) VALUES (?, ?, ?, ?, ?)"));
            Random random = new Random(42);
            Semaphore inFlight = new Semaphore(256);
            long row = 0;
            long onDisk = 0;
            while (onDisk < targetBytes) {
                for (int i = 0; i < 100_000; i++, row++) {
                    String payload = payload(random);
                    for (PreparedStatement insert : inserts) {
                        inFlight.acquire();
                        CompletionStage<?> write = cql.executeAsync(insert.bind((int) (row % 5000), row,
                                WORDS[(int) (row % WORDS.length)], random.nextDouble() * 1000, payload));
                        write.whenComplete((r, e) -> {
                            inFlight.release();
                            if (e != null) {
                                System.err.println("write failed: " + e);
                            }
                        });
                    }
                }
                inFlight.acquire(256);
                inFlight.release(256);
                cassandra.nodetool("flush", KEYSPACE);
                onDisk = size(cassandra.dataDir().resolve(KEYSPACE));
                say("data set: " + row + " rows in each table, " + Bench.mb(onDisk) + " of SSTables");
            }
            // The node compacts as it would in service (size-tiered): a few SSTables per table, not one
            // per flush.
            for (int wait = 0; wait < 600; wait++) {
                // "pending tasks: 0" (4.x) or a table row "pending tasks   0" (5.0)
                if (cassandra.nodetool("compactionstats").lines()
                        .anyMatch(line -> line.matches("\\s*pending tasks:?\\s+0\\s*"))) {
                    break;
                }
                Thread.sleep(1000);
            }
            Path keyspaceDir = cassandra.dataDir().resolve(KEYSPACE);
            try (Stream<Path> walk = Files.walk(keyspaceDir)) {
                for (Path file : walk.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/")).toList()) {
                    Path copy = dataDir().resolve(KEYSPACE).resolve(keyspaceDir.relativize(file));
                    Files.createDirectories(copy.getParent());
                    Files.createLink(copy, file);
                }
            }
        }
        delete(cassandraRoot);
    }

    /** A line of an order event: words, ids and amounts, as application payloads look. */
    private static String payload(Random random) {
        StringBuilder text = new StringBuilder(1100);
        while (text.length() < 1000) {
            text.append('{').append("\"event\":\"").append(WORDS[random.nextInt(WORDS.length)])
                    .append("\",\"id\":").append(random.nextInt(10_000_000))
                    .append(",\"amount\":").append(random.nextInt(100_000) / 100.0)
                    .append(",\"note\":\"").append(WORDS[random.nextInt(WORDS.length)]).append(' ')
                    .append(WORDS[random.nextInt(WORDS.length)]).append("\"}");
        }
        return text.toString();
    }

    /** One large file: the SSTables' Data.db bytes over and over, as a large SSTable's bytes look. */
    private void writeBigFile(long bytes) throws IOException {
        say("data set: writing one file of " + Bench.mb(bytes));
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dataDir().resolve(KEYSPACE))) {
            walk.filter(p -> p.getFileName().toString().endsWith("-Data.db")).sorted().forEach(sources::add);
        }
        Path big = dataDir().resolve(BIG_KEYSPACE).resolve("blob-0123456789abcdef0123456789abcdef")
                .resolve("nb-1-big-Data.db");
        Files.createDirectories(big.getParent());
        byte[] buffer = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(big)) {
            while (written < bytes) {
                for (Path source : sources) {
                    try (InputStream in = Files.newInputStream(source)) {
                        int n;
                        while (written < bytes && (n = in.read(buffer, 0, (int) Math.min(buffer.length, bytes - written))) > 0) {
                            out.write(buffer, 0, n);
                            written += n;
                        }
                    }
                }
            }
        }
    }

    /** Every regular file of the node's data, live ones only, relative to the data folder. */
    List<String> liveFiles(String keyspace) throws IOException {
        Path root = dataDir().resolve(keyspace);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/"))
                    .map(p -> dataDir().relativize(p).toString()).sorted().toList();
        }
    }

    /** The live files' bytes; a node that compacts meanwhile removes files, so the walk is tried again. */
    static long size(Path root) throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(root)) {
                return 0;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                return walk.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/"))
                        .mapToLong(p -> p.toFile().length()).sum();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    static void delete(Path root) throws IOException {
        TempFolders.delete(root);
    }

    private static void say(String line) {
        System.out.println("[bench] " + line);
    }
}
