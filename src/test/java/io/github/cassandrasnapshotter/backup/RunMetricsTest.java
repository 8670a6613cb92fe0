package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.agent.FileAction;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunMetricsTest {
    static FileResult stored(FileAction action, long storedSize) {
        return new FileResult("/d/ks/t/snapshots/s/f", "f", "k", "ks", "t", FileKind.SNAPSHOT, action, 100L, storedSize,
                "sha", 1L, "lzo", 1, action == FileAction.COPIED ? "old" : null, null, null, null, null);
    }

    @Test
    void eachHostsFilesAndBytesAreCountedUnderItsName() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RunMetrics metrics = new RunMetrics(registry);
        FileResult failed = new FileResult("/d/x", "x", "k2", "ks", "t", FileKind.SNAPSHOT, null, null, null, null, null,
                null, 3, null, null, null, null, "permission denied");
        metrics.hostDone(new HostResult("cass1", List.of(stored(FileAction.UPLOADED, 60), stored(FileAction.COPIED, 40),
                        stored(FileAction.REFERENCED, 25)),
                List.of(failed), null));
        metrics.hostDone(new HostResult("cass2", List.of(stored(FileAction.UPLOADED, 10)), List.of(), null));

        assertEquals(25, registry.counter(RunMetrics.BYTES_REFERENCED, "host", "cass1").count());
        assertEquals(3, registry.counter(RunMetrics.FILES_UPLOADED, "host", "cass1").count());
        assertEquals(60, registry.counter(RunMetrics.BYTES_SENT, "host", "cass1").count());
        assertEquals(40, registry.counter(RunMetrics.BYTES_COPIED, "host", "cass1").count());
        assertEquals(1, registry.counter(RunMetrics.FILES_FAILED, "host", "cass1").count());
        assertEquals(1, registry.counter(RunMetrics.HOSTS_FAILED, "host", "cass1").count());
        assertEquals(10, registry.counter(RunMetrics.BYTES_SENT, "host", "cass2").count());
        assertEquals(0, registry.counter(RunMetrics.HOSTS_FAILED, "host", "cass2").count());
    }
}
