package io.github.cassandrasnapshotter.tryout;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.github.cassandrasnapshotter.testsupport.CassandraNode;
import io.github.cassandrasnapshotter.testsupport.FreePorts;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TempFolders;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The README's "see it work" command ({@code mvn -B -q -Ptry-backup verify}): a throwaway real
 * Cassandra node and S3 server on this machine, sample data, a real {@code backup} through the
 * operator's command line (local mode: no SSH), more data and the same command again (an
 * incremental run), {@code list}, what landed where, a restore into the emptied table, a second
 * snapshot and a purge of the first, then
 * everything removed.
 */
public final class TryOut {
    private static final String BUCKET = "tryout";
    private static final String BASE = "demo-cluster";

    private TryOut() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("snapshotter-tryout");
        int status;
        try {
            status = run(work);
        } finally {
            TempFolders.delete(work);
            say("cleaned up: the node, the S3 server and " + work + " are gone");
        }
        System.exit(status);
    }

    private static int run(Path work) throws Exception {
        say("starting a throwaway S3 server (S3Proxy 4.1.0)");
        try (S3ProxyServer s3Server = S3ProxyServer.start(work); S3Client s3 = s3Server.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            say("starting a throwaway Cassandra 5.0.9 node on 127.0.0.1 (about 10 s)");
            try (CassandraNode node = CassandraNode.start(work.resolve("node"), "127.0.0.1", "127.0.0.1",
                    FreePorts.find(), FreePorts.find())) {
                writeSampleData(node);
                say("nodetool flush shop");
                node.nodetool("flush", "shop");

                List<String> global = List.of("--s3-bucket-name", BUCKET, "--s3-base-path", BASE,
                        "--s3-endpoint", s3Server.endpoint(), "--aws-keys-from-env");
                List<String> backup = new ArrayList<>(global);
                backup.addAll(List.of("backup", "--hosts", "localhost", "--keyspaces", "shop",
                        "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString()));
                int status = snapshotter(backup, "the first backup takes a snapshot");
                if (status == 0) {
                    writeMoreOrders(node);
                    status = snapshotter(backup, "the same command again: an incremental run that sends only the new SSTables");
                }
                List<String> list = new ArrayList<>(global);
                list.add("list");
                status = Math.max(status, snapshotter(list, "what the bucket holds"));
                showBucket(s3);
                if (status == 0) {
                    status = restoreIntoEmptiedTable(node, global);
                }
                if (status == 0) {
                    status = purgeTheFirstSnapshot(backup, global, list);
                }
                return status;
            }
        }
    }

    private static int purgeTheFirstSnapshot(List<String> backup, List<String> global, List<String> list) throws Exception {
        List<String> snapshot = new ArrayList<>(backup);
        snapshot.add("--new-snapshot");
        int status = snapshotter(snapshot, "a second snapshot (--new-snapshot)");
        List<String> purge = new ArrayList<>(global);
        purge.addAll(List.of("purge", "--keep-last", "1", "--dry-run"));
        status = Math.max(status, snapshotter(purge, "what purge --keep-last 1 would delete (--dry-run deletes nothing)"));
        purge.remove("--dry-run");
        status = Math.max(status, snapshotter(purge, "purge --keep-last 1: the first snapshot and its incremental run go"));
        return Math.max(status, snapshotter(list, "what the bucket holds now"));
    }

    private static int restoreIntoEmptiedTable(CassandraNode node, List<String> global) throws Exception {
        long before = countOrders(node, false);
        countOrders(node, true);
        say("TRUNCATE shop.orders: " + before + " rows before, " + countOrders(node, false) + " now");
        List<String> restore = new ArrayList<>(global);
        restore.addAll(List.of("restore", "--keyspace", "shop", "--table", "orders", "--in-place",
                "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString()));
        int status = snapshotter(restore, "restore the snapshot and its incremental run into the emptied table");
        long after = countOrders(node, false);
        say("shop.orders has " + after + " rows again" + (after == before ? ", as before" : ", NOT the " + before + " it had"));
        return after == before ? status : Math.max(status, 1);
    }

    private static long countOrders(CassandraNode node, boolean truncateFirst) {
        try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", node.nativePort()))
                .withLocalDatacenter("datacenter1").build()) {
            if (truncateFirst) {
                cql.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("TRUNCATE shop.orders")
                        .setTimeout(java.time.Duration.ofMinutes(1)));
            }
            long rows = 0;
            for (var ignored : cql.execute("SELECT id FROM shop.orders")) {
                rows++;
            }
            return rows;
        }
    }

    private static int snapshotter(List<String> args, String why) throws Exception {
        say(why + ":");
        say("cassandra-snapshotter " + String.join(" ", args));
        ProcessBuilder process = new ProcessBuilder(commandLine(args)).inheritIO();
        process.environment().putAll(S3ProxyServer.AWS_ENV);
        int status = process.start().waitFor();
        say("exit status: " + status);
        return status;
    }

    private static List<String> commandLine(List<String> args) {
        List<String> command = new ArrayList<>(List.of(SnapshotterProcess.java(), "-jar",
                SnapshotterProcess.jar().toString()));
        command.addAll(args);
        return command;
    }

    private static void writeSampleData(CassandraNode node) {
        try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", node.nativePort()))
                .withLocalDatacenter("datacenter1").build()) {
            say("writing sample data: keyspace shop, tables orders and customers, 5,000 rows");
            cql.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
            cql.execute("CREATE TABLE shop.orders (id int PRIMARY KEY, customer int, total double, item text)");
            cql.execute("CREATE TABLE shop.customers (id int PRIMARY KEY, name text, email text)");
            PreparedStatement order = cql.prepare("INSERT INTO shop.orders (id, customer, total, item) VALUES (?, ?, ?, ?)");
            PreparedStatement customer = cql.prepare("INSERT INTO shop.customers (id, name, email) VALUES (?, ?, ?)");
            for (int i = 0; i < 4000; i++) {
                cql.execute(order.bind(i, i % 1000, 9.99 + i % 50, "item-" + (i % 321)));
            }
            for (int i = 0; i < 1000; i++) {
                cql.execute(customer.bind(i, "Customer " + i, "customer" + i + "@example.com"));
            }
        }
    }

    private static void writeMoreOrders(CassandraNode node) {
        try (CqlSession cql = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", node.nativePort()))
                .withLocalDatacenter("datacenter1").build()) {
            say("writing 1,000 more orders");
            PreparedStatement order = cql.prepare("INSERT INTO shop.orders (id, customer, total, item) VALUES (?, ?, ?, ?)");
            for (int i = 4000; i < 5000; i++) {
                cql.execute(order.bind(i, i % 1000, 9.99 + i % 50, "item-" + (i % 321)));
            }
        }
    }

    private static void showBucket(S3Client s3) {
        List<S3Object> objects = s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(BUCKET)
                .prefix(BASE + "/").build()).contents().stream().toList();
        Map<String, long[]> byFolder = new TreeMap<>();
        for (S3Object object : objects) {
            String key = object.key();
            String folder = key.contains("/snapshots/")
                    ? key.substring(0, key.indexOf("/snapshots/")) + "/snapshots/.../"
                    : key.contains("/backups/") ? key.substring(0, key.indexOf("/backups/")) + "/backups/" : key;
            long[] totals = byFolder.computeIfAbsent(folder, k -> new long[2]);
            totals[0]++;
            totals[1] += object.size();
        }
        say("in s3://" + BUCKET + "/" + BASE + "/ (" + objects.size() + " objects):");
        byFolder.forEach((folder, totals) -> System.out.printf("    %-110s %3d object(s) %9d bytes%n",
                folder, totals[0], totals[1]));
        objects.stream().map(S3Object::key).filter(k -> k.endsWith("/manifest.json") && !k.contains("/snapshots/"))
                .findFirst().ifPresent(k -> {
                    say(k + ":");
                    System.out.println("    " + new S3Objects(s3, BUCKET).text(k));
                });
    }

    private static void say(String line) {
        System.out.println("== " + line);
    }
}
