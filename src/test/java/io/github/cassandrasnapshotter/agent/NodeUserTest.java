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
        assertTrue(refusal.startsWith("cassandra-snapshotter runs as root on node1 and the data directories (or "
                + "folders above or in them) belong to nobody"), refusal);
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
        Path two = dataOf(4321, "two");
        IOException mixed = assertThrows(IOException.class, () -> NodeUser.switchFor(List.of(one, two)));
        assertTrue(mixed.getMessage().contains("belong to several users (" + one + " is nobody's, " + two
                + " is 4321's)"), mixed.getMessage());
    }

    /** Root's data directory with a keyspace folder Cassandra's user made: that user swaps what is below. */
    @Test
    void aFolderOfAnotherUserBelowRootsDataDirectoryIsThatUsers() throws Exception {
        Path data = dataOf(0, "data");
        Path table = Files.createDirectories(data.resolve("ks/t-0123"));
        Files.setAttribute(data.resolve("ks"), "unix:uid", NOBODY);
        Files.setAttribute(data.resolve("ks"), "unix:gid", NOBODY);
        assertEquals(Optional.of(new NodeUser(NOBODY, NOBODY, "nobody")), NodeUser.switchFor(List.of(data)));
        Files.setAttribute(data.resolve("ks"), "unix:uid", 0);
        Files.setAttribute(table, "unix:uid", NOBODY);
        assertEquals(NOBODY, NodeUser.switchFor(List.of(data)).orElseThrow().uid(), "a table folder too");
    }

    /** The data directory named through a folder, or a link, of another user: that user can swap it. */
    @Test
    void aDataDirectoryInAFolderOfAnotherUserOrMissingThereIsThatUsers() throws Exception {
        Path theirs = dataOf(NOBODY, "var-lib-cassandra");
        Path data = Files.createDirectories(theirs.resolve("data"));
        Files.setAttribute(data, "unix:uid", 0);
        assertEquals(NOBODY, NodeUser.switchFor(List.of(data)).orElseThrow().uid(), "root's data in their folder");
        assertEquals(NOBODY, NodeUser.switchFor(List.of(theirs.resolve("missing/data"))).orElseThrow().uid(),
                "a missing data directory, judged by the folders above it");
        Path rootsData = dataOf(0, "roots");
        Path link = Files.createSymbolicLink(work.resolve("link"), rootsData);
        java.nio.file.Files.getFileAttributeView(link, java.nio.file.attribute.PosixFileAttributeView.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(link.getFileSystem()
                .getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals(NOBODY, NodeUser.switchFor(List.of(link)).orElseThrow().uid(), "a link of theirs to root's data");
    }

    @Test
    void aFolderOfRootThatOthersMayChangeIsRefused() throws Exception {
        Path data = dataOf(0, "data");
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxr-x"));
        IOException writable = assertThrows(IOException.class, () -> NodeUser.switchFor(List.of(data)));
        assertTrue(writable.getMessage().startsWith(data + " is root's, but others may change it (mode 775)"),
                writable.getMessage());
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(Optional.empty(), NodeUser.switchFor(List.of(data)));
    }

    @Test
    void theSwitchRunsTheSameJvmAndClassPathAsTheOwnerWithItsGroups() {
        List<String> argv = DataOwnerSwitch.argv(new NodeUser(NOBODY, 65533, "nobody"), "a.Main", List.of("--restore"));
        assertTrue(argv.get(0).matches("(/usr)?/bin/setpriv"), "setpriv where util-linux puts it: " + argv.get(0));
        assertEquals(List.of("--reuid=65534", "--regid=65533", "--init-groups", "--"), argv.subList(1, 5));
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
