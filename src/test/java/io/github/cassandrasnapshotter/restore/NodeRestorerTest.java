package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-place agent checks its job as the command line would before it touches anything: under sudo
 * it runs as root, and its job is made of what a bucket said.
 */
class NodeRestorerTest {
    static final String TABLE = "users-0123456789abcdef0123456789abcdef";

    @TempDir
    Path node;

    @ParameterizedTest
    @CsvSource({
            "restore-20240101000000, ks1, " + TABLE + ", ../../../../../escaped",
            "restore-20240101000000, ks1, " + TABLE + ", /tmp/escaped",
            "restore-20240101000000, .., " + TABLE + ", nb-1-big-Data.db",
            "restore-20240101000000, ks1, .., nb-1-big-Data.db",
            "../escaped, ks1, " + TABLE + ", nb-1-big-Data.db",
            "restore-20240101000000/../../escaped, ks1, " + TABLE + ", nb-1-big-Data.db"})
    void aJobNamingAPathOutsideItsStagingFolderIsRefusedBeforeAnythingIsWritten(String staging, String keyspace,
                                                                                 String tableDirectory, String name)
            throws Exception {
        Path data = Files.createDirectories(node.resolve("data"));
        Files.createDirectories(data.resolve("ks1").resolve(TABLE));
        Path conf = Files.createDirectories(node.resolve("conf"));
        Files.writeString(conf.resolve("cassandra.yaml"), "data_file_directories:\n  - " + data + "\n");
        List<String> before = files();
        RestoreFile file = new RestoreFile("localhost", keyspace, tableDirectory, name,
                "base/20240101000000/localhost/x.lzo", 10L, "0".repeat(64), 10);
        RestoreJob job = new RestoreJob(Version.CURRENT, "localhost", null, List.of(file), conf.toString(), staging, 1, 1);
        List<AgentEvent> events = new ArrayList<>();

        assertEquals(-1, NodeRestorer.run(job, events::add));
        assertEquals(1, events.size(), events.toString());
        assertTrue(events.get(0).message().startsWith("the agent on localhost refuses its job: invalid "),
                events.get(0).message());
        assertEquals(before, files(), "nothing written on the node");
        assertFalse(Files.exists(node.getParent().resolve("escaped")));
    }

    private List<String> files() throws Exception {
        try (Stream<Path> walk = Files.walk(node)) {
            return walk.map(Path::toString).sorted().toList();
        }
    }
}
