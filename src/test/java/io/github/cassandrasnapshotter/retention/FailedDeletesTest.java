package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.manifest.PurgeReport;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The keys a purge did not delete: counted per folder, the first ten named, whatever the number. */
class FailedDeletesTest {
    static final StorageKeys KEYS = new StorageKeys("prod/eu");

    @Test
    void eachFolderCountsEveryKeyAndNamesTheFirstTen() {
        FailedDeletes failed = new FailedDeletes(KEYS);
        List<String> s1 = new ArrayList<>();
        for (int i = 0; i < 25_000; i++) {
            String key = KEYS.snapshotPrefix("20261101000000") + "h1/var/lib/f" + i;
            s1.add(key);
            failed.add(key, "AccessDenied: no");
        }
        failed.add(KEYS.statusKey("purge.json"), "SlowDown");
        failed.add(KEYS.snapshotPrefix("20261102000000") + "h1/x (upload 7)", "NoSuchUpload");

        Map<String, PurgeReport.NotDeleted> report = failed.report();
        assertEquals(List.of("20261101000000", "20261102000000", "_status"), List.copyOf(report.keySet()));
        PurgeReport.NotDeleted first = report.get("20261101000000");
        assertEquals(25_000, first.count());
        assertEquals(s1.subList(0, PurgeReport.KEYS_NAMED), List.copyOf(first.first().keySet()), "the first ten, in order");
        assertEquals(25_000, failed.in("20261101000000"));
        assertEquals(0, failed.in("20261103000000"));
        assertEquals(1, report.get("_status").count());
        PurgeReport withThem = new PurgeReport("b", "prod/eu", false, "", "", Map.of(), Map.of(), List.of(), 0, 0, 0,
                Map.of(), List.of(), 0, report);
        assertEquals(25_002, withThem.notDeletedCount());
        assertTrue(withThem.names(s1.get(9)) && !withThem.names(s1.get(10)));
        assertTrue(!withThem.ok() && new FailedDeletes(KEYS).isEmpty());
    }
}
