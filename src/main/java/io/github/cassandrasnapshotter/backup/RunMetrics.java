package io.github.cassandrasnapshotter.backup;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;

/**
 * What backups did, as Micrometer meters (the registry Camel's micrometer support uses, bound as
 * {@code metricsRegistry}); camel-main publishes them over JMX. Names and tags are documented in the README.
 */
public final class RunMetrics {
    public static final String FILES_UPLOADED = "snapshotter.files.stored";
    public static final String FILES_FAILED = "snapshotter.files.failed";
    public static final String BYTES_SENT = "snapshotter.bytes.sent";
    public static final String BYTES_COPIED = "snapshotter.bytes.copied";
    public static final String BYTES_REFERENCED = "snapshotter.bytes.referenced";
    public static final String HOSTS_FAILED = "snapshotter.hosts.failed";
    public static final String RUNS = "snapshotter.runs";
    public static final String RUN_DURATION = "snapshotter.run.duration";

    private final MeterRegistry registry;

    public RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One host's part of a run, tagged with the host. */
    public void hostDone(HostResult host) {
        registry.counter(FILES_UPLOADED, "host", host.host()).increment(host.uploaded().size());
        registry.counter(FILES_FAILED, "host", host.host()).increment(host.failed().size());
        registry.counter(BYTES_SENT, "host", host.host()).increment(host.sentBytes());
        registry.counter(BYTES_COPIED, "host", host.host()).increment(host.reusedBytes());
        registry.counter(BYTES_REFERENCED, "host", host.host()).increment(host.referencedBytes());
        if (!host.ok()) {
            registry.counter(HOSTS_FAILED, "host", host.host()).increment();
        }
    }

    /** A whole run, tagged with its kind and whether it completed. */
    public void runDone(BackupOutcome outcome, BackupPlan plan) {
        String status = outcome.complete() ? "complete" : "failed";
        String kind = plan.kind().name().toLowerCase(java.util.Locale.ROOT);
        registry.counter(RUNS, "status", status, "kind", kind).increment();
        registry.timer(RUN_DURATION, "status", status, "kind", kind)
                .record(Duration.between(plan.started(), Instant.now()));
    }
}
