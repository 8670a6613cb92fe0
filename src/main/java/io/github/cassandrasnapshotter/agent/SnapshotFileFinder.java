package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists the files of a snapshot (or of the incremental {@code backups/} folders) under a node's data
 * directories: {@code <data>/<keyspace>/<table>-<id>/snapshots/<name>/}, secondary-index
 * subfolders included. Every entry that is not a folder is listed, so a file that cannot be read
 * is reported rather than silently left out.
 */
public final class SnapshotFileFinder {
    private SnapshotFileFinder() {
    }

    public static List<NodeFile> snapshotFiles(List<Path> dataDirectories, String snapshot, TableFilter filter)
            throws IOException {
        return find(dataDirectories, filter, FileKind.SNAPSHOT, snapshot);
    }

    public static List<NodeFile> incrementalFiles(List<Path> dataDirectories, TableFilter filter) throws IOException {
        return find(dataDirectories, filter, FileKind.INCREMENTAL, null);
    }

    private static List<NodeFile> find(List<Path> dataDirectories, TableFilter filter, FileKind kind, String snapshot)
            throws IOException {
        List<NodeFile> files = new ArrayList<>();
        for (Path dataDirectory : dataDirectories) {
            if (!Files.isDirectory(dataDirectory)) {
                throw new IOException("data directory " + dataDirectory + " does not exist on this node");
            }
            for (Path keyspaceDirectory : subdirectories(dataDirectory)) {
                String keyspace = keyspaceDirectory.getFileName().toString();
                if (!filter.includesKeyspace(keyspace)) {
                    continue;
                }
                for (Path tableDirectory : subdirectories(keyspaceDirectory)) {
                    String table = TableFilter.tableName(tableDirectory.getFileName().toString());
                    if (!filter.includesTable(table)) {
                        continue;
                    }
                    Path source = kind == FileKind.SNAPSHOT
                            ? tableDirectory.resolve("snapshots").resolve(snapshot)
                            : tableDirectory.resolve("backups");
                    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                        try (Stream<Path> walk = Files.walk(source)) {
                            walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                                    .sorted()
                                    .forEach(p -> files.add(new NodeFile(p.toAbsolutePath(), keyspace, table,
                                            source.relativize(p).toString(), kind)));
                        }
                    }
                }
            }
        }
        return files;
    }

    private static List<Path> subdirectories(Path directory) throws IOException {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
            entries.forEach(result::add);
        }
        result.sort(null);
        return result;
    }
}
