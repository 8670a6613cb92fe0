package io.github.cassandrasnapshotter.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.manifest.BackupStatus;
import io.github.cassandrasnapshotter.manifest.RunEntry;
import io.github.cassandrasnapshotter.manifest.RunStatus;
import io.github.cassandrasnapshotter.manifest.RunSummary;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.StorageObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the metadata objects of a run, for the routes to write. */
public final class RunMetadata {
    private final ObjectMapper json;

    public RunMetadata(ObjectMapper json) {
        this.json = json;
    }

    public StorageObject summary(BackupOutcome outcome, BackupPlan plan) throws JsonProcessingException {
        Map<String, RunSummary.HostSummary> hosts = new LinkedHashMap<>();
        for (String host : plan.hosts()) {
            HostResult result = outcome.hosts().stream().filter(r -> r.host().equals(host)).findFirst()
                    .orElse(HostResult.hostFailed(host, "no result"));
            hosts.put(host, new RunSummary.HostSummary(result.ok() ? RunStatus.COMPLETE : RunStatus.FAILED,
                    result.uploaded().size(), result.bytes(), result.storedBytes(), result.failed().size(),
                    result.sentBytes(), result.reusedFiles(), result.reusedBytes(), result.referencedFiles(),
                    result.referencedBytes(), result.linksRemoved(),
                    result.linkErrors().isEmpty() ? null : result.linkErrors(),
                    result.warnings().isEmpty() ? null : result.warnings(), result.error()));
        }
        boolean complete = outcome.readyToComplete(plan.hosts());
        RunSummary summary = new RunSummary(plan.runId(), plan.snapshot(), plan.kind(),
                complete ? RunStatus.COMPLETE : RunStatus.FAILED, plan.started().toString(),
                Instant.now().toString(), hosts);
        return StorageObject.json(keys(plan).runSummaryKey(plan.snapshot(), plan.runId()),
                json.writeValueAsBytes(summary));
    }

    /** {@code _status/last-run.json}, and {@code last-complete.json} when the run is complete. */
    public List<StorageObject> status(BackupOutcome outcome, BackupPlan plan) throws JsonProcessingException {
        List<String> failures = new ArrayList<>();
        for (HostResult host : outcome.hosts()) {
            if (host.error() != null) {
                failures.add(host.host() + ": " + host.error());
            }
            host.failed().stream().limit(20).forEach(f -> failures.add(host.host() + ": " + f.path() + ": " + f.error()));
        }
        if (outcome.metadataError() != null) {
            failures.add("metadata: " + outcome.metadataError());
        }
        List<HostResult> hosts = outcome.hosts();
        Instant finished = Instant.now();
        BackupStatus status = new BackupStatus(plan.s3().basePath(), plan.snapshot(), plan.runId(), plan.kind(),
                outcome.complete() ? RunStatus.COMPLETE : RunStatus.FAILED, plan.started().toString(),
                finished.toString(), java.time.Duration.between(plan.started(), finished).toSeconds(), plan.hosts(),
                hosts.stream().mapToInt(h -> h.uploaded().size()).sum(), hosts.stream().mapToLong(HostResult::bytes).sum(),
                hosts.stream().mapToLong(HostResult::storedBytes).sum(), hosts.stream().mapToLong(HostResult::sentBytes).sum(),
                hosts.stream().mapToLong(HostResult::reusedBytes).sum(),
                hosts.stream().mapToLong(HostResult::referencedBytes).sum(), failures.isEmpty() ? null : failures);
        StorageKeys keys = keys(plan);
        byte[] content = json.writeValueAsBytes(status);
        List<StorageObject> objects = new ArrayList<>();
        objects.add(StorageObject.json(keys.statusKey(StorageKeys.LAST_RUN), content));
        if (outcome.complete()) {
            objects.add(StorageObject.json(keys.statusKey(StorageKeys.LAST_COMPLETE), content));
        }
        return objects;
    }

    public StorageObject ring(String ringText, BackupPlan plan) {
        return StorageObject.text(keys(plan).ringKey(plan.snapshot()), ringText);
    }

    public StorageObject manifest(BackupOutcome outcome, BackupPlan plan) throws JsonProcessingException {
        BackupRequest request = plan.request();
        List<HostResult> hosts = outcome.hosts();
        BackupSelection selection = request.selection();
        SnapshotManifest manifest = new SnapshotManifest(plan.snapshot(), request.s3().basePath(), selection.hosts(),
                selection.keyspaces().isEmpty() ? null : selection.keyspaces(), selection.table(),
                SnapshotManifest.FORMAT, Version.CURRENT, plan.started().toString(),
                selection.excludeTables(), request.upload().compression().label(), List.of(plan.runId()),
                hosts.stream().mapToInt(h -> h.uploaded().size()).sum(),
                hosts.stream().mapToLong(HostResult::bytes).sum(),
                hosts.stream().mapToLong(HostResult::storedBytes).sum(), List.of(),
                request.s3().clientSideEncryption() ? Boolean.TRUE : null);
        outcome.manifest(manifest);
        return StorageObject.json(keys(plan).manifestKey(plan.snapshot()), json.writeValueAsBytes(manifest));
    }

    /**
     * This incremental run's entry in its snapshot's manifest.json, complete or failed (the run's summary
     * is its record; the entry keeps {@code list} to one object per snapshot). {@link FencedWrites#addRun}
     * adds it to the manifest as stored.
     */
    public RunEntry runEntry(BackupOutcome outcome, BackupPlan plan) {
        List<HostResult> hosts = outcome.hosts();
        List<String> failed = new ArrayList<>();
        for (String host : plan.hosts()) {
            if (hosts.stream().noneMatch(h -> h.host().equals(host) && h.ok())) {
                failed.add(host);
            }
        }
        boolean complete = outcome.readyToComplete(plan.hosts());
        return new RunEntry(plan.runId(), complete ? RunStatus.COMPLETE : RunStatus.FAILED,
                hosts.stream().mapToInt(h -> h.uploaded().size()).sum(),
                hosts.stream().mapToLong(HostResult::bytes).sum(),
                hosts.stream().mapToLong(HostResult::storedBytes).sum(), failed.isEmpty() ? null : failed);
    }

    private static StorageKeys keys(BackupPlan plan) {
        return new StorageKeys(plan.s3().basePath());
    }
}
