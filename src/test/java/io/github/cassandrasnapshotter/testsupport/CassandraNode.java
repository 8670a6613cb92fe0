package io.github.cassandrasnapshotter.testsupport;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Cassandra 5.0 node (cassandra-all from Maven Central, copied by the build into
 * target/cassandra/lib) in its own JVM and its own folder, with a {@code bin/nodetool} wrapper that
 * the coordinator and agent call as they would on a real node. {@link #close()} stops the JVM and
 * removes the folder.
 */
public final class CassandraNode implements AutoCloseable {
    /** Cassandra's conf/jvm17-server.options and jvm17-clients.options, what Java 17 needs of them. */
    private static final List<String> JAVA17_OPTIONS = List.of(
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens", "java.base/java.math=ALL-UNNAMED",
            "--add-opens", "java.base/java.net=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-Djdk.attach.allowAttachSelf=true");
    private static final Duration STARTUP = Duration.ofMinutes(3);

    private final Path root;
    private final String address;
    private final int nativePort;
    private final int storagePort;
    private final int jmxPort;
    private final Process process;

    private CassandraNode(Path root, String address, int nativePort, int storagePort, int jmxPort, Process process) {
        this.storagePort = storagePort;
        this.root = root;
        this.address = address;
        this.nativePort = nativePort;
        this.jmxPort = jmxPort;
        this.process = process;
    }

    public static Path libDirectory() {
        Path lib = Path.of(System.getProperty("cassandra.lib.dir", "target/cassandra/lib")).toAbsolutePath();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: the build copies Cassandra there (mvn verify)");
        }
        return lib;
    }

    /**
     * Starts a node at {@code address} (a loopback address) in {@code root}.
     *
     * @param seed         the first node's address; the node itself for a single node
     * @param storagePort  the same for every node of a cluster
     * @param nativePort   CQL port, on this node's address
     */
    public static CassandraNode start(Path root, String address, String seed, int storagePort, int nativePort)
            throws IOException, InterruptedException {
        int jmxPort = FreePorts.find();
        Files.createDirectories(root.resolve("conf"));
        Files.createDirectories(root.resolve("logs"));
        Files.createDirectories(root.resolve("home"));
        Files.writeString(root.resolve("conf/cassandra.yaml"), yaml(root, address, seed, storagePort, nativePort));
        Files.writeString(root.resolve("conf/logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Files.writeString(root.resolve("conf/logback-tools.xml"), """
                <configuration>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="ERR"/></root>
                </configuration>
                """);
        writeNodetool(root, jmxPort);
        writeTool(root, "sstableloader", "org.apache.cassandra.tools.BulkLoader", List.of());
        writeCqlsh(root, nativePort);

        List<String> command = new ArrayList<>(List.of(SnapshotterProcess.java(), "-Xms512m", "-Xmx512m",
                "-XX:+UseG1GC", "-Xss512k"));
        command.addAll(JAVA17_OPTIONS);
        command.addAll(List.of(
                "-Dcassandra.config=file://" + root.resolve("conf/cassandra.yaml"),
                "-Dcassandra.storagedir=" + root,
                "-Dcassandra.logdir=" + root.resolve("logs"),
                "-Dlogback.configurationFile=" + root.resolve("conf/logback.xml"),
                "-Dcassandra.jmx.local.port=" + jmxPort,
                "-Dcassandra.ring_delay_ms=1000",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.superuser_setup_delay_ms=0",
                "-Dcassandra-foreground=yes",
                "-Duser.home=" + root.resolve("home"),
                "-cp", libDirectory() + "/*",
                "org.apache.cassandra.service.CassandraDaemon"));
        Path log = root.resolve("logs/stdout.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        CassandraNode node = new CassandraNode(root, address, nativePort, storagePort, jmxPort, process);
        try {
            node.awaitStartup(log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private static String yaml(Path root, String address, String seed, int storagePort, int nativePort) {
        return String.join("\n",
                "cluster_name: snapshotter-test",
                "num_tokens: 4",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "data_file_directories:",
                "    - " + root.resolve("data"),
                "commitlog_directory: " + root.resolve("commitlog"),
                "saved_caches_directory: " + root.resolve("saved_caches"),
                "hints_directory: " + root.resolve("hints"),
                "cdc_raw_directory: " + root.resolve("cdc_raw"),
                "commitlog_sync: periodic",
                "commitlog_sync_period: 10000ms",
                "seed_provider:",
                "    - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "      parameters:",
                "          - seeds: \"" + seed + ":" + storagePort + "\"",
                "listen_address: " + address,
                "rpc_address: " + address,
                "storage_port: " + storagePort,
                "native_transport_port: " + nativePort,
                "endpoint_snitch: SimpleSnitch",
                "incremental_backups: true",
                "auto_snapshot: true",
                // Nodes start empty: nothing to stream, and no bootstrap to clash with the next node joining.
                "auto_bootstrap: false",
                "memtable_heap_space: 64MiB",
                "memtable_offheap_space: 64MiB",
                "concurrent_compactors: 1",
                "disk_access_mode: mmap_index_only",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "");
    }

    private static void writeNodetool(Path root, int jmxPort) throws IOException {
        writeTool(root, "nodetool", "org.apache.cassandra.tools.NodeTool",
                List.of("-h", "127.0.0.1", "-p", String.valueOf(jmxPort)));
    }

    /** {@code bin/cqlsh}: {@link DriverCqlsh} from the tests' own classpath, on this node's CQL port. */
    private static void writeCqlsh(Path root, int nativePort) throws IOException {
        Path cqlsh = root.resolve("bin/cqlsh");
        Files.writeString(cqlsh, "#!/usr/bin/env bash\n# cqlsh of the test node at " + root + "\nexec "
                + SnapshotterProcess.java() + " -Xmx128m -Dlogback.configurationFile=" + root.resolve("conf/logback-tools.xml")
                + " -cp '" + System.getProperty("java.class.path") + "' " + DriverCqlsh.class.getName()
                + " --port " + nativePort + " \"$@\"\n");
        Files.setPosixFilePermissions(cqlsh, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A script in {@code bin/} that runs one of Cassandra's tools from the node's libraries. */
    private static void writeTool(Path root, String name, String mainClass, List<String> fixedArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(SnapshotterProcess.java(), "-Xmx256m"));
        command.addAll(JAVA17_OPTIONS);
        command.addAll(List.of("-Duser.home=" + root.resolve("home"),
                "-Dlogback.configurationFile=" + root.resolve("conf/logback-tools.xml"),
                "-cp", "'" + libDirectory() + "/*'", mainClass));
        command.addAll(fixedArgs);
        command.add("\"$@\"");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path tool = bin.resolve(name);
        Files.writeString(tool, "#!/usr/bin/env bash\n# " + name + " of the test node at " + root + "\nexec "
                + String.join(" ", command) + "\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void awaitStartup(Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cassandra at " + address + " exited:\n" + tail(log));
            }
            if (Files.readString(log).contains("Startup complete") && portOpen()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Cassandra at " + address + " did not start in " + STARTUP + ":\n" + tail(log));
    }

    private boolean portOpen() {
        try (Socket ignored = new Socket(address, nativePort)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The log's errors, then its last lines: a node that exits logs its shutdown after the cause. */
    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> errors = lines.stream().filter(l -> l.contains(" ERROR ") || l.contains("Exception")).limit(20).toList();
        return String.join("\n", errors) + "\n...\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    public Path root() {
        return root;
    }

    public String address() {
        return address;
    }

    public int storagePort() {
        return storagePort;
    }

    public int nativePort() {
        return nativePort;
    }

    public Path confDir() {
        return root.resolve("conf");
    }

    public Path dataDir() {
        return root.resolve("data");
    }

    public Path nodetool() {
        return root.resolve("bin/nodetool");
    }

    /** Runs nodetool on this node and returns its output; fails on a non-zero exit. */
    public String nodetool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(nodetool().toString()));
        command.addAll(List.of(args));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes());
        if (!run.waitFor(2, TimeUnit.MINUTES) || run.exitValue() != 0) {
            throw new IllegalStateException("nodetool " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    /** The live SSTable files of a table (not its snapshots or incremental backups). */
    public List<Path> liveFiles(String keyspace, String table) throws IOException {
        Path tableDir = tableDir(keyspace, table);
        try (Stream<Path> walk = Files.walk(tableDir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !tableDir.relativize(p).startsWith("snapshots") && !tableDir.relativize(p).startsWith("backups"))
                    .sorted().toList();
        }
    }

    /** The table's folder, {@code <data>/<keyspace>/<table>-<id>}. */
    public Path tableDir(String keyspace, String table) throws IOException {
        try (Stream<Path> dirs = Files.list(dataDir().resolve(keyspace))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(table + "-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no folder for " + keyspace + "." + table));
        }
    }

    /** The links Cassandra made in the table's {@code backups/} folder (incremental_backups). */
    public List<Path> backupLinks(String keyspace, String table) throws IOException {
        Path backups = tableDir(keyspace, table).resolve("backups");
        if (!Files.isDirectory(backups)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(backups)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    public boolean hasSnapshot(String tag) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir())) {
            return walk.anyMatch(p -> Files.isDirectory(p) && p.getFileName().toString().equals(tag)
                    && p.getParent().getFileName().toString().equals("snapshots"));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        TempFolders.delete(root);
    }
}
