package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.compress.Compression;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StorageKeysTest {
    @Test
    void dataKeysFollowTheOldToolsLayout() {
        StorageKeys keys = new StorageKeys("/mycluster/");
        assertEquals("mycluster/20260101000000/h1/var/lib/cassandra/data/ks/t-1/snapshots/20260101000000/nb-1-big-Data.db.lzo",
                keys.dataKey("20260101000000", "h1",
                        "/var/lib/cassandra/data/ks/t-1/snapshots/20260101000000/nb-1-big-Data.db", Compression.LZO));
        assertEquals("mycluster/20260101000000/h1/x/y", keys.dataKey("20260101000000", "h1", "/x/y", Compression.NONE));
    }

    @Test
    void metadataKeys() {
        StorageKeys keys = new StorageKeys("a/b");
        assertEquals("a/b/20260101000000/manifest.json", keys.manifestKey("20260101000000"));
        assertEquals("a/b/20260101000000/ring", keys.ringKey("20260101000000"));
        assertEquals("a/b/20260101000000/schema_ks1.cql", keys.schemaKey("20260101000000", "ks1"));
        assertEquals("a/b/20260101000000/_runs/r1/h1.json", keys.runHostKey("20260101000000", "r1", "h1"));
        assertEquals("20260101000000/manifest.json", new StorageKeys("").manifestKey("20260101000000"));
    }

    @Test
    void refusesRelativePaths() {
        assertThrows(IllegalArgumentException.class,
                () -> new StorageKeys("b").dataKey("20260101000000", "h", "var/x", Compression.LZO));
    }

    @Test
    void dataKeysAreThoseUnderAHostFolderOfTheSnapshot() {
        StorageKeys keys = new StorageKeys("base/path");
        assertTrue(keys.isDataKey("20260101000000", "base/path/20260101000000/10.0.0.1/var/lib/x/manifest.json"));
        assertTrue(keys.isDataKey("20260101000000", "base/path/20260101000000/host/var/lib/x/schema.cql.lzo"));
        assertFalse(keys.isDataKey("20260101000000", "base/path/20260101000000/manifest.json"));
        assertFalse(keys.isDataKey("20260101000000", "base/path/20260101000000/schema_ks.cql"));
        assertFalse(keys.isDataKey("20260101000000", "base/path/20260101000000/_runs/20260101000000/h.json"));
        assertFalse(keys.isDataKey("20260101000000", "base/path/20260101000001/host/var/x"));
    }
}
