package io.github.cassandrasnapshotter.validate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafePathsTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"nb-1-big-Data.db", ".users_email_idx/nb-1-big-Data.db", "manifest.json", "..hidden", "a..b"})
    void acceptsCassandrasFileNames(String name) {
        assertEquals(name, SafePaths.relativePath("file name", name));
        assertTrue(SafePaths.under(root, name).startsWith(root));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "../x", "a/../../x", "a/..", "./a", "/etc/passwd", "a//b", "a/", "", "a\u0000b",
            "nb-1\nData.db", "a\tb", "a b", "a\\..\\b", "$(id)"})
    void refusesDotDotAbsoluteEmptyAndControlCharacterParts(String name) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SafePaths.relativePath("file name", name));
        assertTrue(e.getMessage().startsWith("invalid file name '"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains("\u0000"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> SafePaths.under(root, "host", name));
    }

    @Test
    void aNameIsOnePart() {
        assertEquals(".idx", SafePaths.name("folder", ".idx"));
        assertThrows(InvalidInputException.class, () -> SafePaths.name("folder", "a/b"));
        assertThrows(InvalidInputException.class, () -> SafePaths.name("folder", ".."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "users-0123456789abcdef0123456789abcdef", "t_1-0123456789ABCDEF0123456789abcdef"})
    void acceptsTableFolders(String folder) {
        assertEquals(folder, SafePaths.tableDirectory(folder));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "users-", "users-x", "us/ers", "users-0123", "-users", ""})
    void refusesOtherTableFolders(String folder) {
        assertThrows(InvalidInputException.class, () -> SafePaths.tableDirectory(folder));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/lib/cassandra/data", "/etc/cassandra/conf/", "/"})
    void acceptsPlainAbsolutePaths(String path) {
        assertEquals(path, SafePaths.absolutePath("data directory", path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"var/lib", "/var/../etc", "/var/./lib", "/var//lib", "/var/lib/..", "/a b", "/a;b"})
    void refusesOtherAbsolutePaths(String path) {
        assertThrows(InvalidInputException.class, () -> SafePaths.absolutePath("data directory", path));
    }

    @Test
    void theResultLiesUnderTheRoot() {
        assertEquals(root.resolve("h/ks/t/n"), SafePaths.under(root, "h", "ks", "t", "n"));
        assertEquals(root.toAbsolutePath().resolve("h"), SafePaths.under(root.resolve("x/.."), "h"),
                "the root itself is normalised");
        assertThrows(InvalidInputException.class, () -> SafePaths.under(root), "the root itself is no file of it");
    }
}
