package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restore folder only its owner can touch. The tests run as root, which may give a folder to another
 * user (nobody, uid 65534) to play the local user who made {@code /tmp/restore_cassandra} first.
 */
class RestoreFolderTest {
    static final int NOBODY = 65534;

    @TempDir
    Path work;

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    static void write(RestoreFolder folder, Path destination, String content) throws Exception {
        Path partial = destination.resolveSibling(destination.getFileName() + ".partial");
        FileChannel channel = folder.create(partial);
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        folder.commit(channel, partial, destination);
    }

    @Test
    void foldersAreMadeWithMode0700AndFilesWith0600() throws Exception {
        Path root = work.resolve("tmp/restore_cassandra");
        RestoreFolder folder = RestoreFolder.open(root);
        Path file = root.resolve("h/ks/t/.idx/nb-1-big-Data.db");
        folder.folder(file.getParent());
        write(folder, file, "data");
        for (Path made : new Path[] {root, root.resolve("h"), root.resolve("h/ks"), root.resolve("h/ks/t"), file.getParent()}) {
            assertEquals("rwx------", mode(made), made.toString());
        }
        assertEquals("rw-------", mode(file));
        assertEquals("data", Files.readString(file));
        assertFalse(Files.exists(file.resolveSibling("nb-1-big-Data.db.partial")));
    }

    @Test
    void aFolderOfAnotherUserIsRefusedBeforeAnythingIsWrittenInIt() throws Exception {
        Path planted = Files.createDirectory(work.resolve("restore_cassandra"));
        Files.setAttribute(planted, "unix:uid", NOBODY);
        InvalidInputException checked = assertThrows(InvalidInputException.class, () -> RestoreFolder.check(planted));
        assertTrue(checked.getMessage().contains(planted + " belongs to another user (nobody, not root)"), checked.getMessage());
        assertEquals(1, checked.getMessage().lines().count());
        assertThrows(InvalidInputException.class, () -> RestoreFolder.open(planted));
        try (var files = Files.list(planted)) {
            assertEquals(0, files.count());
        }
        RestoreFolder.check(work.resolve("missing")); // a folder that is not there yet is fine
    }

    @Test
    void aLinkPlantedAsAFolderIsNotFollowed() throws Exception {
        Path outside = Files.createDirectory(work.resolve("outside"));
        Path root = work.resolve("restore");
        RestoreFolder folder = RestoreFolder.open(root);
        Files.createDirectories(root.resolve("h"));
        Files.createSymbolicLink(root.resolve("h/ks"), outside);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> folder.folder(root.resolve("h/ks/t")));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> write(folder, root.resolve("h/ks/t/f"), "x"));
        try (var files = Files.list(outside)) {
            assertEquals(0, files.count(), "nothing made through the link");
        }
    }

    @Test
    void aLinkPlantedAtTheFileOrItsTemporaryNameIsReplacedNeverWrittenThrough() throws Exception {
        Path sentinel = Files.writeString(work.resolve("sentinel"), "untouched");
        Path root = work.resolve("restore");
        RestoreFolder folder = RestoreFolder.open(root);
        Path table = folder.folder(root.resolve("h/ks/t"));
        Files.createSymbolicLink(table.resolve("a.db"), sentinel);
        Files.createSymbolicLink(table.resolve("b.db.partial"), sentinel);
        write(folder, table.resolve("a.db"), "restored a");
        write(folder, table.resolve("b.db"), "restored b");
        assertEquals("untouched", Files.readString(sentinel));
        assertFalse(Files.isSymbolicLink(table.resolve("a.db")));
        assertEquals("restored a", Files.readString(table.resolve("a.db")));
        assertEquals("restored b", Files.readString(table.resolve("b.db")));
    }

    @Test
    void aRootThatIsALinkOfAnotherUserIsRefused() throws Exception {
        Path target = Files.createDirectory(work.resolve("target"));
        Path link = Files.createSymbolicLink(work.resolve("restore"), target);
        Files.getFileAttributeView(link, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setOwner(link.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RestoreFolder.check(link));
        assertTrue(e.getMessage().contains("is a link made by another user (nobody)"), e.getMessage());
    }
}
