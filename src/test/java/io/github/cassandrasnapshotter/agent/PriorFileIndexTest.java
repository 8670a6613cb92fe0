package io.github.cassandrasnapshotter.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorFileIndexTest {
    static final PriorFile STATS_IN_SNAPSHOT = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.SNAPSHOT,
            100, "aaaa", "p/1/h/data/ks/t-1/snapshots/1/nb-1-big-Statistics.db.lzo", 60, "lzo", 1_000L);
    static final PriorFile STATS_IN_BACKUPS = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.INCREMENTAL,
            100, "bbbb", "p/1/h/data/ks/t-1/backups/nb-1-big-Statistics.db.lzo", 60, "lzo", 2_000L);
    static final PriorFile UNCOMPRESSED = new PriorFile("ks", "t", "nb-2-big-Data.db", FileKind.SNAPSHOT,
            100, "cccc", "p/1/h/data/ks/t-1/snapshots/1/nb-2-big-Data.db", 100, "none", 1_000L);

    static NodeFile file(String name, FileKind kind) {
        return new NodeFile(Path.of("/data/ks/t-1/snapshots/2/" + name), "ks", "t", name, kind);
    }

    @Test
    void candidatesShareKeyspaceTableNameSizeAndCompression() {
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS, UNCOMPRESSED), "lzo");
        assertEquals(2, index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100).size());
        assertEquals(List.of(), index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 101), "other size");
        assertEquals(List.of(), index.candidates(file("nb-2-big-Data.db", FileKind.SNAPSHOT), 100),
                "stored uncompressed: not the object this run would write");
    }

    @Test
    void theContentDecidesNotTheName() {
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS), "lzo");
        List<PriorFile> candidates = index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100);
        assertEquals(STATS_IN_BACKUPS, index.withContent(candidates, "bbbb", "new/key").orElseThrow());
        assertFalse(index.withContent(candidates, "dddd", "new/key").isPresent(), "rewritten in place: sent again");
    }

    @Test
    void aFileIsUnchangedOnlyWithTheSameModificationTime() {
        PriorFile beforeMtimes = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.SNAPSHOT, 100, "eeee",
                "p/0/old.lzo", 60, "lzo", null);
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, STATS_IN_BACKUPS, beforeMtimes), "lzo");
        List<PriorFile> candidates = index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100);
        assertEquals(STATS_IN_BACKUPS, index.unchanged(candidates, 2_000L, "new/key").orElseThrow());
        assertFalse(index.unchanged(candidates, 3_000L, "new/key").isPresent(), "rewritten later: compared by content");
        assertEquals(STATS_IN_SNAPSHOT, index.unchanged(candidates, 1_000L, STATS_IN_SNAPSHOT.key()).orElseThrow());
    }

    @Test
    void anObjectAlreadyAtTheKeyIsPreferred() {
        PriorFile elsewhere = new PriorFile("ks", "t", "nb-1-big-Statistics.db", FileKind.SNAPSHOT, 100, "aaaa",
                "p/0/other-key.lzo", 60, "lzo", 1_000L);
        PriorFileIndex index = new PriorFileIndex(List.of(elsewhere, STATS_IN_SNAPSHOT), "lzo");
        List<PriorFile> candidates = index.candidates(file("nb-1-big-Statistics.db", FileKind.SNAPSHOT), 100);
        assertEquals(STATS_IN_SNAPSHOT, index.withContent(candidates, "aaaa", STATS_IN_SNAPSHOT.key()).orElseThrow());
    }

    @Test
    void anIncrementalLinkIsInTheParentSnapshotWhenItsSstableFileIs() {
        PriorFileIndex index = new PriorFileIndex(List.of(STATS_IN_SNAPSHOT, UNCOMPRESSED), "lzo");
        assertTrue(index.inParentSnapshot(file("nb-1-big-Statistics.db", FileKind.INCREMENTAL), 100));
        assertTrue(index.inParentSnapshot(file("nb-2-big-Data.db", FileKind.INCREMENTAL), 100),
                "whatever compression the snapshot used");
        assertFalse(index.inParentSnapshot(file("nb-3-big-Data.db", FileKind.INCREMENTAL), 100));
    }
}
