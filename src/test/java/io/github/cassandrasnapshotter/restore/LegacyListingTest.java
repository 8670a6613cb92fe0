package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The planner's reading of a listing in the old tool's layout. Its 1.0.x keys ({@code <host>//var/...})
 * cannot be stored on the test servers (S3Proxy folds "//", S3Mock refuses the SDK's "/%2F"), so the
 * listing is given here as real S3 would return it.
 */
class LegacyListingTest {
    static final String PREFIX = "old/cluster/20200101000000/10.0.0.1/";
    static final String FOLDER = "var/lib/cassandra/data/ks/t-0123456789abcdef0123456789abcdef/snapshots/20200101000000/";
    static final String TABLE_DIR = "t-0123456789abcdef0123456789abcdef";

    static S3Object object(String key, long size) {
        return S3Object.builder().key(key).size(size).build();
    }

    static RestoreFile file(String keyspace, String name, String key, long size) {
        return new RestoreFile("10.0.0.1", keyspace, TABLE_DIR, name, key, null, null, size);
    }

    @Test
    void keysOfBothFormsBecomeTheSameFilesAndAreFetchedByTheirKeyAsStored() {
        String old = PREFIX + "/" + FOLDER + "nb-1-big-Data.db.lzo";            // 1.0.x
        String index = PREFIX + "/" + FOLDER + ".t_idx/nb-1-big-Data.db.lzo";  // 1.0.x, an index folder
        String newer = PREFIX + FOLDER + "nb-2-big-Data.db.lzo";               // 1.2.0
        List<RestoreFile> files = RestorePlanner.legacyFiles("b", PREFIX, "10.0.0.1",
                List.of(object(old, 10), object(index, 11), object(newer, 12)), null, "");

        assertEquals(List.of(file("ks", "nb-1-big-Data.db", old, 10), file("ks", ".t_idx/nb-1-big-Data.db", index, 11),
                file("ks", "nb-2-big-Data.db", newer, 12)), files);
    }

    @Test
    void keyspaceAndTableFiltersApplyToThe10xForm() {
        String ks = PREFIX + "/" + FOLDER + "nb-1-big-Data.db.lzo";
        String other = PREFIX + "/" + FOLDER.replace("/ks/", "/other/") + "nb-1-big-Data.db.lzo";
        String live = PREFIX + "/var/lib/cassandra/data/ks/" + TABLE_DIR + "/nb-9-big-Data.db.lzo";
        List<S3Object> listing = List.of(object(ks, 10), object(other, 11), object(live, 12));

        assertEquals(List.of(file("ks", "nb-1-big-Data.db", ks, 10)),
                RestorePlanner.legacyFiles("b", PREFIX, "10.0.0.1", listing, "ks", "t"), "keyspace ks, table t");
        assertEquals(List.of(), RestorePlanner.legacyFiles("b", PREFIX, "10.0.0.1", listing, "ks", "u"), "table u");
    }
}
