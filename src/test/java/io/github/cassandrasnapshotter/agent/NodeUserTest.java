package io.github.cassandrasnapshotter.agent;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who an agent works as. The tests give folders to nobody (uid 65534), which only root can do: they are
 * skipped, with this reason, where the build does not run as root (CI and these machines do).
 */
class NodeUserTest {
    static final int NOBODY = 65534;

    @TempDir
    Path work;

    @BeforeEach
    void asRoot() {
        assumeTrue(NodeUser.current().isRoot(), "giving a folder to another user needs root");
    }

    Path dataOf(int uid, String name) throws IOException {
        Path data = Files.createDirectories(work.resolve(name));
        Files.setAttribute(data, "unix:uid", uid);
        Files.setAttribute(data, "unix:gid", uid);
        return data;
    }

    @Test
    void rootSwitchesToTheOwnerOfTheDataDirectoriesAndRefusesToWorkInThemItself() throws Exception {
        Path data = dataOf(NOBODY, "data");
        Optional<NodeUser> owner = NodeUser.switchFor(List.of(work.resolve("missing"), data));
        assertEquals(Optional.of(new NodeUser(NOBODY, NOBODY, "nobody")), owner);
        String refusal = NodeUser.refusal(List.of(data), "node1").orElseThrow();
        assertTrue(refusal.startsWith("cassandra-snapshotter runs as root on node1 and the data directories belong "
                + "to nobody"), refusal);
    }

    @Test
    void dataDirectoriesOfRootNeedNoSwitch() throws Exception {
        Path data = dataOf(0, "data");
        assertEquals(Optional.empty(), NodeUser.switchFor(List.of(data)));
        assertEquals(Optional.empty(), NodeUser.refusal(List.of(data), "node1"));
        assertEquals(Optional.empty(), NodeUser.switchFor(List.of(work.resolve("missing"))));
    }

    @Test
    void dataDirectoriesOfSeveralUsersAreRefused() throws Exception {
        Path one = dataOf(NOBODY, "one");
        Path two = dataOf(0, "two");
        IOException mixed = assertThrows(IOException.class, () -> NodeUser.switchFor(List.of(one, two)));
        assertTrue(mixed.getMessage().contains("belong to several users (" + one + " to nobody, " + two + " to root)"),
                mixed.getMessage());
    }

    @Test
    void theSwitchRunsTheSameJvmAndClassPathAsTheOwnerWithItsGroups() {
        List<String> argv = DataOwnerSwitch.argv(new NodeUser(NOBODY, 65533, "nobody"), "a.Main", List.of("--restore"));
        assertEquals(List.of("setpriv", "--reuid=65534", "--regid=65533", "--init-groups", "--"), argv.subList(0, 5));
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), argv.get(5));
        assertEquals(List.of("a.Main", "agent", "--restore"), argv.subList(argv.size() - 3, argv.size()));
        String classPath = argv.get(argv.indexOf("-cp") + 1);
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            assertTrue(Path.of(entry).isAbsolute(), entry);
        }
        List<String> unnamed = DataOwnerSwitch.argv(new NodeUser(4321, 4321, "4321"), "a.Main", List.of());
        assertEquals("--clear-groups", unnamed.get(3), "a uid without a name has no groups to take");
    }
}
