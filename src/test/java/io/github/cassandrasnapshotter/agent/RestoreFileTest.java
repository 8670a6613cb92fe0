package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.restore.RestoreJob;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a file of a restore goes, made of what a bucket said: always inside the restore (or staging) folder. */
class RestoreFileTest {
    static final String TABLE = "users-0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    static RestoreFile file(String host, String keyspace, String tableDirectory, String name) {
        return new RestoreFile(host, keyspace, tableDirectory, name, "base/20240101000000/" + host + "/x.lzo", 1L, "s", 1);
    }

    @Test
    void aFileGoesToItsHostKeyspaceAndTableFolder() {
        assertEquals(root.resolve("10.0.0.1/ks/" + TABLE + "/.users_idx/nb-1-big-Data.db"),
                file("10.0.0.1", "ks", TABLE, ".users_idx/nb-1-big-Data.db").destination(root));
        assertEquals(root.resolve("nb-1-big-Data.db"), file("h", "ks", TABLE, "nb-1-big-Data.db").destinationIn(root));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../escaped", "..", "/etc/cron.d/evil", "a/../../b", "nb\u0000x", "nb\nx"})
    void aNameThatCouldLeaveTheTablesFolderIsRefused(String name) {
        RestoreFile file = file("h", "ks", TABLE, name);
        assertThrows(InvalidInputException.class, () -> file.destination(root));
        assertThrows(InvalidInputException.class, () -> file.destinationIn(root));
        assertThrows(InvalidInputException.class, file::checked);
    }

    @Test
    void aHostKeyspaceOrTableFolderThatIsNoPlainNameIsRefused() {
        for (RestoreFile file : new RestoreFile[] {file("..", "ks", TABLE, "n"), file("h/..", "ks", TABLE, "n"),
                file("a;b", "ks", TABLE, "n"), file("h", "..", TABLE, "n"), file("h", "k/s", TABLE, "n"),
                file("h", "ks", "..", "n"), file("h", "ks", "t/../..", "n"), file("h", "ks", "/etc", "n")}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> file.destination(root), file.toString());
            assertTrue(e.getMessage().startsWith("invalid "), e.getMessage());
        }
    }

    @Test
    void aFileNamedAsADownloadInProgressIsRefused() {
        // x.partial in a plan beside x: downloading x would remove x.partial, restored and reported as such
        RestoreFile partial = file("h", "ks", TABLE, "nb-1-big-Data.db.partial");
        org.junit.jupiter.api.Assertions.assertThrows(io.github.cassandrasnapshotter.validate.InvalidInputException.class,
                partial::checked);
        org.junit.jupiter.api.Assertions.assertThrows(io.github.cassandrasnapshotter.validate.InvalidInputException.class,
                () -> partial.destination(root));
    }

    @Test
    void anInPlaceJobIsCheckedAsTheCommandLineWould() {
        RestoreJob good = job("restore-20240101000000", "/etc/cassandra", file("h", "ks", TABLE, "nb-1-big-Data.db"));
        assertEquals(good, good.checked());
        for (RestoreJob bad : new RestoreJob[] {
                job("restore-20240101000000", "/etc/cassandra", file("h", "ks", TABLE, "../../../etc/passwd")),
                job("../../etc", "/etc/cassandra", file("h", "ks", TABLE, "n")),
                job("restore-2024/../..", "/etc/cassandra", file("h", "ks", TABLE, "n")),
                job("restore-20240101000000", "/etc/cassandra;id", file("h", "ks", TABLE, "n")),
                job("restore-20240101000000", "/etc/cassandra", file("other", "ks", TABLE, "n")),
                job("restore-20240101000000", "/etc/cassandra", file("h", "ks'", TABLE, "n"))}) {
            assertThrows(InvalidInputException.class, bad::checked, bad.files().toString() + bad.staging() + bad.cassandraConfPath());
        }
    }

    static RestoreJob job(String staging, String confPath, RestoreFile file) {
        return new RestoreJob("v", "h", null, java.util.List.of(file), confPath, staging, 1, 1);
    }
}
