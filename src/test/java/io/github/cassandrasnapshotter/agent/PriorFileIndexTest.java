package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.compress.Compression;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorFileIndexTest {
    static final PriorFile STATS_IN_SNAPSHOT = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.SNAPSHOT,
            100, "aaaa", "p/1/h/data/ks/t-1/snapshots/1/nb-1-big-Statistics.db.lzo", 60, "lzo", 1_000L, "t-1", 1L, 11L, null);
    static final PriorFile STATS_IN_BACKUPS = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.INCREMENTAL,
            100, "bbbb", "p/1/h/data/ks/t-1/backups/nb-1-big-Statistics.db.lzo", 60, "lzo", 2_000L, "t-1", 1L, 12L, null);
    static final PriorFile UNCOMPRESSED = new PriorFile("ks", "t", "nb-2-big-Data.db", FileKind.SNAPSHOT,
            100, "cccc", "p/1/h/data/ks/t-1/snapshots/1/nb-2-big-Data.db", 100, "none", 1_000L, "t-1", 1L, 13L, null);

    static NodeFile file(String name, FileKind kind) {
        return new NodeFile(Path.of("/data/ks/t-1/snapshots/2/" + name), "ks", "t", name, kind);
    }

    @Test
    void candidatesShareKeyspaceTableNameSizeAndCompression() {
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS, UNCOMPRESSED), Compression.LZO, null);
        assertEquals(2, index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100).size());
        assertEquals(List.of(), index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 101), "other size");
        assertEquals(List.of(), index.candidates(file("nb-2-big-Data.db", FileKind.SNAPSHOT), 100),
                "stored uncompressed: not the object this run would write");
    }

    @Test
    void theContentDecidesNotTheName() {
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS), Compression.LZO, null);
        List<PriorFile> candidates = index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100);
        assertEquals(STATS_IN_BACKUPS, index.withContent(candidates, "bbbb", "new/key").orElseThrow());
        assertFalse(index.withContent(candidates, "dddd", "new/key").isPresent(), "rewritten in place: sent again");
    }

    @Test
    void aFileIsUnchangedOnlyWithTheSameModificationTime() {
        PriorFile beforeMtimes = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.SNAPSHOT, 100, "eeee",
                "p/0/old.lzo", 60, "lzo", null, "t-1", null, null, null);
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS, beforeMtimes), Compression.LZO, null);
        List<PriorFile> candidates = index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100);
        assertEquals(STATS_IN_BACKUPS, index.unchanged(candidates, 2_000L, "new/key").orElseThrow());
        assertFalse(index.unchanged(candidates, 3_000L, "new/key").isPresent(), "rewritten later: compared by content");
        assertEquals(STATS_IN_SNAPSHOT, index.unchanged(candidates, 1_000L, STATS_IN_SNAPSHOT.key()).orElseThrow());
    }

    @Test
    void anObjectAlreadyAtTheKeyIsPreferred() {
        PriorFile elsewhere = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.SNAPSHOT, 100, "aaaa",
                "p/0/other-key.lzo", 60, "lzo", 1_000L, "t-1", 1L, 14L, null);
        PriorFileIndex index = new PriorFileIndex(List.of(elsewhere, STATS_IN_SNAPSHOT), Compression.LZO, null);
        List<PriorFile> candidates = index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100);
        assertEquals(STATS_IN_SNAPSHOT, index.withContent(candidates, "aaaa", STATS_IN_SNAPSHOT.key()).orElseThrow());
    }

    static NodeFile link(String tableDirectory, String name) {
        return new NodeFile(Path.of("/data/ks/" + tableDirectory + "/backups/" + name), "ks", "t", name,
                FileKind.INCREMENTAL);
    }

    @Test
    void anIncrementalLinkMayBeASnapshotFileOfTheSameTableFolderNameAndSize() {
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS, UNCOMPRESSED), Compression.LZO, null);
        assertEquals(List.of(STATS_IN_SNAPSHOT), index.inParentSnapshot(link("t-1", "nb-1-big-Statistics.db"), 100),
                "the snapshot's file only, not an earlier run's");
        assertEquals(List.of(UNCOMPRESSED), index.inParentSnapshot(link("t-1", "nb-2-big-Data.db"), 100),
                "whatever compression the snapshot used");
        assertEquals(List.of(), index.inParentSnapshot(link("t-1", "nb-3-big-Data.db"), 100));
        assertEquals(List.of(), index.inParentSnapshot(link("t-1", "nb-1-big-Statistics.db"), 101), "other size");
        assertEquals(List.of(), index.inParentSnapshot(link("t-2", "nb-1-big-Statistics.db"), 100),
                "a table dropped and created again under the same name has another folder");
    }

    @Test
    void aPriorFileKnowsItsTableFolderFromItsNodePath() {
        assertEquals("users-01", NodeFile.tableDirectory("/d/ks/users-01/snapshots/20260101000000/nb-1-big-Data.db",
                "nb-1-big-Data.db", FileKind.SNAPSHOT));
        assertEquals("users-01", NodeFile.tableDirectory("/d/ks/users-01/snapshots/20260101000000/.idx/nb-1-big-Data.db",
                ".idx/nb-1-big-Data.db", FileKind.SNAPSHOT));
        assertEquals("users-01", NodeFile.tableDirectory("/d/ks/users-01/backups/.idx/nb-1-big-Data.db",
                ".idx/nb-1-big-Data.db", FileKind.INCREMENTAL));
    }

    @Test
    void withAKeyFileOnlyObjectsUnderItsKeysAreReusedAndWithoutOneOnlyPlainObjects() {
        io.github.cassandrasnapshotter.crypto.ClientKeys keys = io.github.cassandrasnapshotter.crypto.ClientKeys.generate();
        PriorFile plain = STATS_IN_SNAPSHOT;
        PriorFile held = withKey(STATS_IN_SNAPSHOT, keys.primaryKeyId());
        PriorFile other = withKey(STATS_IN_SNAPSHOT, keys.primaryKeyId() + 1);
        NodeFile file = file("nb-1-big-Statistics.db", FileKind.SNAPSHOT);
        assertEquals(List.of(held), new PriorFileIndex(List.of(plain, held, other), Compression.LZO, keys).candidates(file, 100));
        assertEquals(List.of(plain), new PriorFileIndex(List.of(plain, held, other), Compression.LZO, null).candidates(file, 100));
        NodeFile link = link("t-1", "nb-1-big-Statistics.db");
        assertEquals(List.of(held), new PriorFileIndex(List.of(plain, held, other), Compression.LZO, keys).inParentSnapshot(link, 100),
                "a link is covered only by an object the run can read");
        assertEquals(List.of(plain), new PriorFileIndex(List.of(plain, held, other), Compression.LZO, null).inParentSnapshot(link, 100));
    }

    static PriorFile withKey(PriorFile file, long keyId) {
        return new PriorFile(file.keyspace(), file.table(), file.name(), file.kind(), file.size(), file.sha256(),
                file.key() + ".enc", file.storedSize(), file.compression(), file.mtime(), file.tableDirectory(),
                file.device(), file.inode(), keyId);
    }
}
