package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.agent.RestoreFile;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import io.github.cassandrasnapshotter.agent.CassandraYaml;
import io.github.cassandrasnapshotter.agent.NodeUser;
import io.github.cassandrasnapshotter.agent.TableFilter;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.util.DaemonThreads;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import io.github.cassandrasnapshotter.validate.SafePaths;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The node side of an in-place restore: downloads this node's files into a staging folder in the
 * data directory of each table ({@code <data>/restore-<snapshot>/<keyspace>/<table-dir>}: the same
 * file system, so {@code nodetool import} moves rather than copies), every file checked against its SHA-256. A file already staged with the right SHA-256
 * is kept, so a restore run again resumes.
 */
public final class NodeRestorer {
    private NodeRestorer() {
    }

    /** Runs the job; returns the number of failed files, or -1 when it could not start. */
    public static int run(RestoreJob job, Consumer<AgentEvent> events) throws InterruptedException {
        java.util.Optional<String> refusal = Version.jobRefusal(job.version(), job.host());
        if (refusal.isPresent()) {
            events.accept(AgentEvent.error(refusal.get()));
            return -1;
        }
        try {
            job.checked();
        } catch (InvalidInputException e) {
            events.accept(AgentEvent.error("the agent on " + InputValidator.printable(job.host(), 80)
                    + " refuses its job: " + e.getMessage()));
            return -1;
        }
        Map<String, Path> staging = new LinkedHashMap<>();
        Map<String, RestoreFolder> folders = new LinkedHashMap<>();
        Map<String, Path> tableDataDirectories = new LinkedHashMap<>();
        try {
            List<Path> dataDirectories = CassandraYaml.dataDirectories(Path.of(job.cassandraConfPath()));
            for (Path dataDirectory : dataDirectories) {
                SafePaths.absolutePath("data directory in cassandra.yaml", dataDirectory.toString());
            }
            java.util.Optional<String> asRoot = NodeUser.refusal(dataDirectories, job.host());
            if (asRoot.isPresent()) {
                events.accept(AgentEvent.error(asRoot.get()));
                return -1;
            }
            for (RestoreFile file : job.files()) {
                String table = file.keyspace() + "." + file.table();
                if (!staging.containsKey(table)) {
                    Path tableDirectory = tableDirectory(dataDirectories, file.keyspace(), file.table());
                    if (tableDirectory == null) {
                        events.accept(AgentEvent.error("table " + table + " does not exist on " + job.host()
                                + ": create it first (the backup's schema_" + file.keyspace() + ".cql has its definition)"));
                        return -1;
                    }
                    // <data>/restore-<snapshot>/<keyspace>/<table-dir>: on the table's file system, so import
                    // moves the files, and ending in keyspace and table folders, which import reads the names from.
                    // The staging folder is private (0700) and this agent's, which is the data directory's
                    // owner's (an agent started as root works as that user): Cassandra moves the files on.
                    Path dataDirectory = tableDirectory.getParent().getParent();
                    staging.put(table, SafePaths.under(dataDirectory, job.staging(), file.keyspace(),
                            SafePaths.tableDirectory(tableDirectory.getFileName().toString())));
                    tableDataDirectories.put(table, dataDirectory);
                }
            }
            // Made only once every table is found: a job that cannot start leaves nothing behind.
            for (Map.Entry<String, Path> table : tableDataDirectories.entrySet()) {
                folders.put(table.getKey(), RestoreFolder.open(SafePaths.under(table.getValue(), job.staging())));
            }
        } catch (IOException e) {
            events.accept(AgentEvent.error("cannot find the tables or make their staging folders on " + job.host() + ": "
                    + e.getMessage()));
            return -1;
        } catch (InvalidInputException e) {
            events.accept(AgentEvent.error("the agent on " + job.host() + " refuses its job: " + e.getMessage()));
            return -1;
        }
        long bytes = job.files().stream().mapToLong(f -> f.size() != null ? f.size() : f.storedSize()).sum();
        events.accept(AgentEvent.start(Version.CURRENT, job.files().size(), bytes, null));
        int failed = 0;
        long done = 0;
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(1, job.downloadThreads()),
                DaemonThreads.named("restore-download"));
        // A controller older than the setting sends none: the default, as it did.
        int connectionsPerFile = job.connectionsPerFile() > 0 ? job.connectionsPerFile()
                : FileDownloader.DEFAULT_CONNECTIONS_PER_FILE;
        try (S3Client s3 = S3ClientFactory.create(job.s3(),
                FileDownloader.connections(job.downloadThreads(), connectionsPerFile))) {
            FileDownloader downloader = new FileDownloader(s3, job.s3().bucket(), job.s3().clientKeys(),
                    new ProgressReporter(new PrintStream(PrintStream.nullOutputStream()), true));
            List<Future<DownloadResult>> results = new ArrayList<>();
            for (RestoreFile file : job.files()) {
                String table = file.keyspace() + "." + file.table();
                Path destination = file.destinationIn(staging.get(table));
                RestoreFolder folder = folders.get(table);
                results.add(workers.submit(() -> downloader.downloadTo(file, folder, destination, connectionsPerFile)));
            }
            for (Future<DownloadResult> future : results) {
                DownloadResult result = future.get();
                failed += result.ok() ? 0 : 1;
                done += result.bytes();
                events.accept(AgentEvent.restored(result));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("download task failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            workers.shutdownNow();
        }
        Map<String, String> staged = new LinkedHashMap<>();
        staging.forEach((table, path) -> staged.put(table, path.toString()));
        events.accept(AgentEvent.staged(job.files().size(), done, failed, staged));
        return failed;
    }

    /** The table's current folder: of several (a table dropped and created again), the newest. */
    private static Path tableDirectory(List<Path> dataDirectories, String keyspace, String table) throws IOException {
        Path newest = null;
        for (Path dataDirectory : dataDirectories) {
            Path keyspaceDirectory = dataDirectory.resolve(keyspace);
            if (!Files.isDirectory(keyspaceDirectory)) {
                continue;
            }
            try (DirectoryStream<Path> tables = Files.newDirectoryStream(keyspaceDirectory, Files::isDirectory)) {
                for (Path candidate : tables) {
                    if (TableFilter.tableName(candidate.getFileName().toString()).equals(table)
                            && (newest == null || Files.getLastModifiedTime(candidate)
                            .compareTo(Files.getLastModifiedTime(newest)) > 0)) {
                        newest = candidate;
                    }
                }
            }
        }
        return newest;
    }
}
