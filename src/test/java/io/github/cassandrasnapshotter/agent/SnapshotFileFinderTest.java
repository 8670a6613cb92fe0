package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotFileFinderTest {
    @TempDir
    Path dir;

    private List<NodeFile> snapshot(TestNode node, TableFilter filter) throws Exception {
        Process p = new ProcessBuilder(node.nodetool().toString(), "snapshot", "-t", "20260101000000")
                .inheritIO().start();
        assertEquals(0, p.waitFor());
        return SnapshotFileFinder.snapshotFiles(CassandraYaml.dataDirectories(node.confDir()), "20260101000000", filter);
    }

    @Test
    void findsEverySnapshotFileIndexFoldersIncluded() throws Exception {
        TestNode node = TestNode.create(dir.resolve("n"), "127.0.0.1");
        node.addSampleTables();
        List<NodeFile> files = snapshot(node, TableFilter.of(List.of(), null, List.of()));
        // 3 tables x 4 components, 1 index file, and Cassandra's manifest.json per table
        assertEquals(3 * 4 + 1 + 3, files.size(), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.path().toString().contains("/.users_email_idx/")));
        assertTrue(files.stream().allMatch(f -> f.kind() == FileKind.SNAPSHOT && f.path().isAbsolute()));
    }

    @Test
    void appliesKeyspaceTableAndExcludeFilters() throws Exception {
        TestNode node = TestNode.create(dir.resolve("n"), "127.0.0.1");
        node.addSampleTables();
        List<NodeFile> onlyUsers = snapshot(node, TableFilter.of(List.of("ks1"), "users", List.of()));
        assertEquals(Set.of("users"), Set.copyOf(onlyUsers.stream().map(NodeFile::table).toList()));
        List<NodeFile> notEvents = SnapshotFileFinder.snapshotFiles(CassandraYaml.dataDirectories(node.confDir()),
                "20260101000000", TableFilter.of(List.of(), null, List.of("events")));
        assertEquals(Set.of("users", "metrics"), Set.copyOf(notEvents.stream().map(NodeFile::table).toList()));
    }

    @Test
    void tableNamesComeFromFoldersWithOrWithoutAnId() {
        assertEquals("users", TableFilter.tableName("users-0123456789abcdef0123456789abcdef"));
        assertEquals("users", TableFilter.tableName("users"));
        assertEquals("my-table-x", TableFilter.tableName("my-table-x"));
    }

    @Test
    void dataDirectoriesDefaultWhenCassandraYamlDoesNotSetThem() throws Exception {
        Files.writeString(dir.resolve("cassandra.yaml"), "cluster_name: x\n");
        assertEquals(List.of(Path.of(CassandraYaml.DEFAULT_DATA_DIRECTORY)), CassandraYaml.dataDirectories(dir));
        Files.writeString(dir.resolve("cassandra.yaml"), "data_file_directories:\n  - /d1\n  - /d2\n");
        assertEquals(List.of(Path.of("/d1"), Path.of("/d2")), CassandraYaml.dataDirectories(dir));
    }
}
