package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.storage.ObjectEncryption;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagRequestsTest {
    private static final List<String> GLOBAL = List.of("--s3-bucket-name", "b", "--s3-base-path", "prod");

    @TempDir
    Path work;
    private FlagRequests flags;

    @BeforeEach
    void flags() throws Exception {
        Path knownHosts = Files.createFile(work.resolve("known_hosts"));
        flags = new FlagRequests(GLOBAL, Map.of(
                "backup", List.of("--hosts", "cass1,cass2", "--keyspaces", "shop", "--sshport", "2222",
                        "--ssh-known-hosts", knownHosts.toString()),
                "restore", List.of("--restore-dir", "/srv/restore")));
    }

    @Test
    void headerNamesAreTheFlagsInCamelCase() {
        assertEquals("snapshotterKeyspaces", FlagRequests.headerName("--keyspaces"));
        assertEquals("snapshotterExcludeTables", FlagRequests.headerName("--exclude-tables"));
        assertEquals("snapshotterS3BasePath", FlagRequests.headerName("--s3-base-path"));
    }

    @Test
    void theDefaultsMakeTheRequestAndHeadersOverrideThem() {
        BackupRequest defaults = flags.backup(Map.of());
        assertEquals(List.of("cass1", "cass2"), defaults.selection().hosts());
        assertEquals(List.of("shop"), defaults.selection().keyspaces());
        assertEquals(2222, defaults.nodes().ssh().port());
        assertFalse(defaults.policy().newSnapshot());

        BackupRequest overridden = flags.backup(Map.of("snapshotterKeyspaces", List.of("shop", "billing"),
                "snapshotterNewSnapshot", true, "snapshotterTable", "orders"));
        assertEquals(List.of("shop", "billing"), overridden.selection().keyspaces());
        assertEquals("orders", overridden.selection().table());
        assertTrue(overridden.policy().newSnapshot());
        assertEquals("prod", overridden.s3().basePath());
    }

    @Test
    void aFalseBooleanHeaderLeavesTheFlagOut() {
        assertFalse(flags.backup(Map.of("snapshotterNewSnapshot", "false")).policy().newSnapshot());
    }

    @Test
    void restoreTakesItsOwnDefaultsAndHeaders() {
        RestoreRequest restore = flags.restore(Map.of("snapshotterKeyspace", "shop", "snapshotterSnapshotName",
                "20240101000000"), false);
        assertEquals(Path.of("/srv/restore"), restore.restoreDir());
        assertEquals("20240101000000", restore.snapshotName());
        assertEquals(null, restore.inPlace());
    }

    @Test
    void aBadHeaderIsTheCommandLinesOwnError() {
        InvalidInputException bad = assertThrows(InvalidInputException.class,
                () -> flags.backup(Map.of("snapshotterKeyspaces", "shop;rm -rf /")));
        assertTrue(bad.getMessage().contains("keyspace"), bad.getMessage());
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> flags.restore(Map.of(), false));
        assertTrue(missing.getMessage().contains("--keyspace"), missing.getMessage());
    }

    @Test
    void backupDefaultsNeedNoHosts() {
        FlagRequests noHosts = new FlagRequests(GLOBAL, Map.of("backup", List.of("--sshport", "2200")));
        assertEquals(2200, noHosts.backupDefaults().nodes().ssh().port());
        assertThrows(InvalidInputException.class, () -> noHosts.backup(Map.of()));
    }

    /** An embedding application's global flags reach every request's S3 settings, and so the agents' jobs. */
    @Test
    void theKmsKeyOfTheGlobalFlagsIsEveryRequestsEncryption() {
        List<String> global = new java.util.ArrayList<>(GLOBAL);
        global.addAll(List.of("--s3-ssenc", "--s3-sse-kms-key-id", "alias/backups"));
        FlagRequests kms = new FlagRequests(global, Map.of("backup", List.of("--hosts", "cass1",
                "--ssh-known-hosts", work.resolve("known_hosts").toString())));
        ObjectEncryption expected = new ObjectEncryption(ServerSideEncryption.AWS_KMS, "alias/backups");
        assertEquals(expected, kms.s3Settings().encryption());
        assertEquals(expected, kms.backup(Map.of()).s3().encryption());
        assertEquals(ObjectEncryption.NONE, flags.backup(Map.of()).s3().encryption());
    }

    @Test
    void aBadKmsKeyIsTheCommandLinesError() {
        List<String> global = new java.util.ArrayList<>(GLOBAL);
        global.addAll(List.of("--s3-sse-kms-key-id", "alias/two words"));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new FlagRequests(global, Map.of()).s3Settings());
        assertTrue(e.getMessage().startsWith("invalid --s3-sse-kms-key-id 'alias/two words'"), e.getMessage());
    }
}
