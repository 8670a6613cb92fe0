package io.github.cassandrasnapshotter.storage;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which keys a file list may name: a data object of its own host in a snapshot folder of its base path. */
class StorageKeysTest {
    static final StorageKeys PROD = new StorageKeys("prod");
    static final String SNAPSHOT = "20261201000000";

    @Test
    void aDataObjectOfTheHostInAnySnapshotFolderOfTheBasePath() {
        String own = "prod/" + SNAPSHOT + "/cass1/var/lib/cassandra/data/ks/t-1/snapshots/" + SNAPSHOT + "/nb-1-big-Data.db.lzo";
        String earlier = "prod/20261101000000/cass1/var/lib/cassandra/data/ks/t-1/snapshots/20261101000000/nb-1-big-Data.db.lzo";
        assertTrue(PROD.isHostDataKey(own, "cass1"));
        assertTrue(PROD.isHostDataKey(earlier, "cass1"));
        assertEquals(Optional.of("prod/" + SNAPSHOT + "/cass1/"), PROD.hostFolder(own));
        assertTrue(PROD.isHostDataKey("prod/" + SNAPSHOT + "/cass1//var/x.lzo", "cass1"), "the old tool's <host>// keys");
        assertTrue(new StorageKeys("").isHostDataKey(SNAPSHOT + "/cass1/var/x.lzo", "cass1"), "the bucket's root as base path");
    }

    @Test
    void anyOtherKeyIsNot() {
        String path = "/var/lib/cassandra/data/ks/t-1/snapshots/" + SNAPSHOT + "/nb-1-big-Data.db.lzo";
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/cass2" + path, "cass1"), "another host");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/ass1" + path, "cass1"), "a host name's suffix");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/cass1x" + path, "cass1"), "a host name's prefix");
        assertFalse(PROD.isHostDataKey("other/" + SNAPSHOT + "/cass1" + path, "cass1"), "another base path");
        assertFalse(PROD.isHostDataKey("production/" + SNAPSHOT + "/cass1" + path, "cass1"), "a base path's prefix");
        assertFalse(PROD.isHostDataKey("prod/latest/cass1" + path, "cass1"), "a folder that is no snapshot name");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/_runs/" + SNAPSHOT + "/cass1.json", "_runs"), "records");
        assertFalse(PROD.isHostDataKey("prod/_status/cass1/lock.json", "cass1"), "_status");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/cass1/../../other/" + SNAPSHOT + "/cass1/x.lzo", "cass1"), "dot segments");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/cass1/./x.lzo", "cass1"), "dot segments");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/cass1/x\n.lzo", "cass1"), "control characters");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "/manifest.json", "cass1"), "a snapshot's metadata");
        assertFalse(PROD.isHostDataKey("prod/" + SNAPSHOT + "//var/x.lzo", ""), "no host");
    }
}
