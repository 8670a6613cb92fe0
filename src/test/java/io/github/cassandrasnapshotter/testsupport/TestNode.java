package io.github.cassandrasnapshotter.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A Cassandra node's files for the fast tests: {@code conf/cassandra.yaml}, a data directory of
 * {@code <keyspace>/<table>-<id>/} folders, and the {@code nodetool} stand-in in {@code bin/}.
 */
public final class TestNode {
    private final Path root;
    private final Path data;

    private TestNode(Path root) {
        this.root = root;
        this.data = root.resolve("data");
    }

    public static TestNode create(Path root, String address) throws IOException {
        TestNode node = new TestNode(root.toAbsolutePath());
        Files.createDirectories(node.data);
        Files.createDirectories(root.resolve("conf"));
        Files.writeString(root.resolve("conf/cassandra.yaml"), String.join("\n",
                "cluster_name: test",
                "data_file_directories:",
                "    - " + node.data,
                "incremental_backups: true", ""));
        Files.writeString(root.resolve("address"), address);
        Path bin = Files.createDirectories(root.resolve("bin"));
        for (String tool : List.of("nodetool", "cqlsh")) {
            try (InputStream script = TestNode.class.getResourceAsStream("/node/" + tool)) {
                Files.copy(script, bin.resolve(tool));
            }
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return node;
    }

    public Path root() {
        return root;
    }

    public Path nodetool() {
        return root.resolve("bin/nodetool");
    }

    public Path confDir() {
        return root.resolve("conf");
    }

    /** Writes {@code size} bytes of seeded data, compressible like an SSTable unless {@code random}. */
    public Path addFile(String keyspace, String tableDirectory, String relativePath, long size, long seed,
                        boolean random) throws IOException {
        Path file = data.resolve(keyspace).resolve(tableDirectory).resolve(relativePath);
        Files.createDirectories(file.getParent());
        Random rng = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                if (random) {
                    rng.nextBytes(chunk);
                } else {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) ("partition-key-" .charAt(i % 14) + (rng.nextInt(16) == 0 ? rng.nextInt(8) : 0));
                    }
                }
                int n = (int) Math.min(left, chunk.length);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
        return file;
    }

    /** A small table set: two tables in ks1 (one with a secondary index folder), one in ks2. */
    public void addSampleTables() throws IOException {
        String users = "users-0123456789abcdef0123456789abcdef";
        String events = "events-fedcba9876543210fedcba9876543210";
        for (String component : List.of("Data.db", "Index.db", "Statistics.db", "TOC.txt")) {
            addFile("ks1", users, "nb-1-big-" + component, 20_000 + component.length(), component.hashCode(), false);
            addFile("ks1", events, "nb-3-big-" + component, 40_000, component.hashCode() + 1, false);
            addFile("ks2", "metrics-00000000000000000000000000000001", "nb-2-big-" + component, 10_000,
                    component.hashCode() + 2, false);
        }
        addFile("ks1", users, ".users_email_idx/nb-1-big-Data.db", 5_000, 7, false);
    }

    /**
     * A freshly flushed SSTable, as Cassandra with {@code incremental_backups: true} leaves it: its
     * components in the table folder and a hard link of each in {@code backups/}.
     */
    public List<Path> addFlushedSstable(String keyspace, String tableDirectory, int generation, long seed)
            throws IOException {
        List<Path> links = new ArrayList<>();
        for (String component : List.of("Data.db", "Index.db", "Statistics.db", "TOC.txt")) {
            String name = "nb-" + generation + "-big-" + component;
            Path live = addFile(keyspace, tableDirectory, name, 8_000 + generation * 100L, seed + component.hashCode(),
                    false);
            Path link = live.getParent().resolve("backups").resolve(name);
            Files.createDirectories(link.getParent());
            Files.createLink(link, live);
            links.add(link);
        }
        return links;
    }

    /** Files in the {@code backups/} folders of this node. */
    public List<Path> backupLinks() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("/backups/")).forEach(files::add);
        }
        return files;
    }

    public Path dataDir() {
        return data;
    }

    /** Every file of snapshot {@code tag} on this node. */
    public List<Path> snapshotFiles(String tag) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> data.relativize(p).toString().contains("/snapshots/" + tag + "/"))
                    .forEach(files::add);
        }
        return files;
    }

    /** Files of the live data directory (outside snapshots/ and backups/). */
    public List<Path> liveFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(data)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/snapshots/") && !p.toString().contains("/backups/"))
                    .forEach(files::add);
        }
        return files;
    }

    /** Whether any snapshot folder is left on this node. */
    public boolean hasSnapshots() throws IOException {
        try (Stream<Path> walk = Files.walk(data)) {
            return walk.anyMatch(p -> Files.isDirectory(p) && p.getParent() != null
                    && p.getParent().getFileName().toString().equals("snapshots"));
        }
    }

    /** {@link #hasSnapshots()} for a wait loop, while the run being awaited adds and removes folders. */
    public boolean hasSnapshotsQuietly() {
        try {
            return hasSnapshots();
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    public List<String> nodetoolCalls() throws IOException {
        Path log = root.resolve("nodetool.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The next snapshot gets one entry that cannot be read (a broken link). */
    public void breakNextSnapshot() throws IOException {
        Files.writeString(root.resolve("broken-link"), "");
    }
}
