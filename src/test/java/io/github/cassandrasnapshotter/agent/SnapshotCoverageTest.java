package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotCoverageTest {
    static final SnapshotCoverage.Content UNREAD = () -> {
        throw new AssertionError("identity decided: the bytes are not read");
    };

    static PriorFile inSnapshot(Long device, Long inode, Long mtime, String sha256) {
        return new PriorFile("ks", "t", "nb-1-big-Data.db", FileKind.SNAPSHOT, 100, sha256, "k", 60, "lzo", mtime,
                "t-1", device, inode, null);
    }

    @Test
    void theSnapshotsOwnInodeWithItsTimeIsCoveredWithoutReadingTheFile() {
        assertTrue(SnapshotCoverage.covers(List.of(inSnapshot(7L, 42L, 1_000L, "aaaa")), new FileIdentity(7, 42),
                1_000L, UNREAD));
    }

    @Test
    void anInodeNumberGivenOutAgainToAnotherFileIsComparedByContent() {
        List<PriorFile> snapshot = List.of(inSnapshot(7L, 42L, 1_000L, "aaaa"));
        assertFalse(SnapshotCoverage.covers(snapshot, new FileIdentity(7, 42), 2_000L, () -> "bbbb"),
                "same inode, other time, other bytes: stored, not covered");
        assertTrue(SnapshotCoverage.covers(snapshot, new FileIdentity(7, 42), 2_000L, () -> "aaaa"));
        assertFalse(SnapshotCoverage.covers(snapshot, new FileIdentity(8, 42), 1_000L, () -> "bbbb"), "other device");
    }

    @Test
    void recordsWithoutIdentityAndUnreadableFilesAreJudgedByContentOnly() {
        List<PriorFile> older = List.of(inSnapshot(null, null, 1_000L, "aaaa"));
        assertTrue(SnapshotCoverage.covers(older, new FileIdentity(7, 42), 1_000L, () -> "aaaa"));
        assertFalse(SnapshotCoverage.covers(older, new FileIdentity(7, 42), 1_000L, () -> "bbbb"));
        assertFalse(SnapshotCoverage.covers(older, null, 1_000L, () -> {
            throw new java.io.IOException("unreadable");
        }));
        assertFalse(SnapshotCoverage.covers(older, null, 1_000L, () -> null), "changed while read");
        assertFalse(SnapshotCoverage.covers(List.of(), new FileIdentity(7, 42), 1_000L, UNREAD), "not in the snapshot");
    }

    @Test
    void hardLinksShareAnIdentityAndCopiesDoNot(@TempDir Path dir) throws Exception {
        Path live = Files.writeString(dir.resolve("nb-1-big-Data.db"), "rows");
        Path link = Files.createLink(dir.resolve("link"), live);
        Path copy = Files.copy(live, dir.resolve("copy"));
        FileIdentity identity = FileIdentity.of(live);
        assertNotNull(identity, "a Unix file system names its files");
        assertEquals(identity, FileIdentity.of(link));
        assertNotEquals(identity, FileIdentity.of(copy));
        assertTrue(identity.is(identity.device(), identity.inode()));
        assertFalse(identity.is(null, identity.inode()));
    }
}
