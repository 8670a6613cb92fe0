package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A password from the command line, a file or an environment variable; no message repeats it. */
class SecretOptionsTest {
    static final String SECRET = "s3cret-Value-42";

    @TempDir
    Path work;

    @Test
    void aPasswordComesFromTheFlagTheFilesFirstLineOrTheVariable() throws Exception {
        Path file = Files.writeString(work.resolve("pw"), SECRET + "\nsecond line\n");
        assertEquals(SECRET, SecretOptions.resolve("--password", SECRET, null, null, Map.of()));
        assertEquals(SECRET, SecretOptions.resolve("--password", null, file, null, Map.of()));
        assertEquals(SECRET, SecretOptions.resolve("--password", null, Files.writeString(work.resolve("crlf"), SECRET + "\r\n"),
                null, Map.of()));
        assertEquals(SECRET, SecretOptions.resolve("--password", null, null, "PW", Map.of("PW", SECRET)));
        assertNull(SecretOptions.resolve("--password", null, null, null, Map.of("PW", SECRET)));
    }

    @Test
    void eachWayThatFailsSaysSoInOneLineWithoutTheSecret() throws Exception {
        Path file = Files.writeString(work.resolve("pw"), SECRET);
        Path empty = Files.writeString(work.resolve("empty"), "\n" + SECRET);
        for (Runnable bad : List.<Runnable>of(
                () -> SecretOptions.resolve("--password", SECRET, file, null, Map.of()),
                () -> SecretOptions.resolve("--password", null, file, "PW", Map.of("PW", SECRET)),
                () -> SecretOptions.resolve("--password", null, work.resolve("missing"), null, Map.of()),
                () -> SecretOptions.resolve("--password", null, empty, null, Map.of()),
                () -> SecretOptions.resolve("--password", null, null, "PW", Map.of("OTHER", SECRET)),
                () -> SecretOptions.resolve("--password", null, null, SECRET + "=x", Map.of()))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, bad::run);
            assertTrue(e.getMessage().startsWith("--password"), e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void theSshAndCqlshPasswordsOfABackupComeFromTheirFiles() throws Exception {
        Path knownHosts = Files.createFile(work.resolve("known_hosts"));
        Path ssh = Files.writeString(work.resolve("ssh"), "ssh-" + SECRET);
        Path cqlsh = Files.writeString(work.resolve("cqlsh"), "cqlsh-" + SECRET);
        FlagRequests flags = new FlagRequests(List.of("--s3-bucket-name", "b", "--s3-base-path", "p"), Map.of(
                "backup", List.of("--hosts", "cass1", "--ssh-known-hosts", knownHosts.toString(),
                        "--password-file", ssh.toString(), "--cqlsh-user", "backup", "--cqlsh-password-file", cqlsh.toString())));
        BackupRequest request = flags.backup(Map.of());
        assertEquals("ssh-" + SECRET, request.nodes().ssh().password());
        assertEquals("cqlsh-" + SECRET, request.schema().cqlshPassword());
        assertFalse(request.toString().contains(SECRET), request.toString());
        assertFalse(request.schema().toString().contains(SECRET), request.schema().toString());
    }
}
