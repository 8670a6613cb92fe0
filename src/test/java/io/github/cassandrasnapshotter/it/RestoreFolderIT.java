package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The restore folder is only its owner's: another local user may make {@code /tmp/restore_cassandra}
 * first, or plant links in a folder it can write to. The tests run as root, which gives a folder to
 * nobody (uid 65534) to play that user.
 */
class RestoreFolderIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("folders");
    static final String USERS = "users-0123456789abcdef0123456789abcdef";
    static final String BASE = "folders";

    @TempDir
    static Path backupWork;
    static boolean backedUp;

    @TempDir
    Path work;

    @BeforeEach
    void backupOnce() throws Exception {
        if (backedUp) {
            return;
        }
        TestNode node = TestNode.create(backupWork.resolve("node"), "localhost");
        node.addSampleTables();
        List<String> args = BackupArgs.global(S3.server(), S3.name(), BASE);
        args.addAll(List.of("backup", "--hosts", "localhost", "--quiet", "--keyspaces", "ks1",
                "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString()));
        SnapshotterProcess.Result run = SnapshotterProcess.run(backupWork, args, S3ProxyServer.AWS_ENV);
        assertEquals(0, run.exitStatus(), run.all());
        backedUp = true;
    }

    SnapshotterProcess.Result restore(Path restoreDir) throws Exception {
        return SnapshotterProcess.run(work, BackupArgs.command(S3.endpoint(), S3.name(), BASE, "restore",
                "--keyspace", "ks1", "--restore-dir", restoreDir.toString()), S3ProxyServer.AWS_ENV);
    }

    static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theRestoreFolderAndEachOfItsFoldersAreMadeWithMode0700() throws Exception {
        Path restoreDir = work.resolve("tmp/restore_cassandra");
        SnapshotterProcess.Result run = restore(restoreDir);
        assertEquals(0, run.exitStatus(), run.all());
        try (Stream<Path> walk = Files.walk(restoreDir)) {
            for (Path path : walk.toList()) {
                assertEquals(Files.isDirectory(path) ? "rwx------" : "rw-------", mode(path), path.toString());
            }
        }
    }

    @Test
    void aRestoreFolderOfAnotherUserIsRefusedInOneLineBeforeAnythingIsWritten() throws Exception {
        Path planted = Files.createDirectory(work.resolve("restore_cassandra"));
        Files.setAttribute(planted, "unix:uid", 65534);
        SnapshotterProcess.Result run = restore(planted);
        try (Stream<Path> files = Files.list(planted)) {
            assertEquals(List.of(), files.toList(), run.all());
        }
        assertEquals(2, run.exitStatus(), run.all());
        List<String> lines = run.stderr().strip().lines().toList();
        assertEquals(List.of("cassandra-snapshotter: restore folder " + planted + " belongs to another user (nobody, not "
                + "root), who could have planted links in it: remove it or restore elsewhere"),
                lines, run.all());
        assertEquals("", run.stdout());
    }

    @Test
    void linksPlantedInTheRestoreFolderAreNeverWrittenThrough() throws Exception {
        Path restoreDir = Files.createDirectory(work.resolve("restore"));
        Path table = Files.createDirectories(restoreDir.resolve("localhost/ks1/" + USERS));
        Path sentinel = Files.writeString(work.resolve("sentinel"), "untouched");
        // A link at a file's name, and one at the temporary name its download is written to first.
        Files.createSymbolicLink(table.resolve("nb-1-big-Data.db"), sentinel);
        Files.createSymbolicLink(table.resolve("nb-1-big-Index.db.partial"), sentinel);
        SnapshotterProcess.Result run = restore(restoreDir);
        assertEquals("untouched".length(), Files.size(sentinel), "the sentinel was written through a link: " + run.all());
        assertEquals("untouched", Files.readString(sentinel));
        assertEquals(0, run.exitStatus(), run.all());
        assertFalse(Files.isSymbolicLink(table.resolve("nb-1-big-Data.db")), "the link is replaced by the file");
        assertFalse(Files.exists(table.resolve("nb-1-big-Index.db.partial"), LinkOption.NOFOLLOW_LINKS));

        // A link at a folder's name: nothing is made through it, and the files are reported as not restored.
        Path outside = Files.createDirectory(work.resolve("outside"));
        Path second = Files.createDirectories(work.resolve("second/localhost"));
        Files.createSymbolicLink(second.resolve("ks1"), outside);
        SnapshotterProcess.Result linked = restore(work.resolve("second"));
        try (Stream<Path> files = Files.list(outside)) {
            assertEquals(List.of(), files.toList(), linked.all());
        }
        assertEquals(1, linked.exitStatus(), linked.all());
        assertTrue(linked.stdout().contains(second.resolve("ks1") + " is a symbolic link: a restore follows no link"),
                linked.stdout());
    }
}
