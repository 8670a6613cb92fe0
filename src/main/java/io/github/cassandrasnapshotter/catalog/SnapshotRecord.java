package io.github.cassandrasnapshotter.catalog;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.validate.SnapshotName;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot folder as the bucket shows it. Complete means its {@code manifest.json} exists
 * (docs/design.md, "Manifests and integrity"); a folder of the old tool has a manifest and no {@code _runs/}.
 *
 * @param legacyObjects      data objects counted by listing, for folders without run summaries
 * @param legacyStoredBytes  their stored size
 * @param unreadableManifest why its manifest.json exists and cannot be used (it names the key), then
 *                           {@code manifest} is null; null when it can be used or does not exist
 * @param tombstone          its {@code _runs/purged.json} was listed ({@link #purged()}); its content is not read here
 */
public record SnapshotRecord(String name, SnapshotManifest manifest, List<RunRecord> runs, int legacyObjects,
                             long legacyStoredBytes, String unreadableManifest, boolean tombstone) {
    public SnapshotRecord {
        runs = List.copyOf(runs);
    }

    public SnapshotRecord(String name, SnapshotManifest manifest, List<RunRecord> runs, int legacyObjects,
                          long legacyStoredBytes, String unreadableManifest) {
        this(name, manifest, runs, legacyObjects, legacyStoredBytes, unreadableManifest, false);
    }

    public SnapshotRecord(String name, SnapshotManifest manifest, List<RunRecord> runs, int legacyObjects,
                          long legacyStoredBytes) {
        this(name, manifest, runs, legacyObjects, legacyStoredBytes, null);
    }

    /** Its metadata objects that exist and cannot be used, each named by its key: manifest.json, then run summaries. */
    public List<String> unreadable() {
        List<String> problems = new ArrayList<>();
        if (unreadableManifest != null) {
            problems.add(unreadableManifest);
        }
        runs.stream().map(RunRecord::unreadable).filter(java.util.Objects::nonNull).forEach(problems::add);
        return problems;
    }

    /** The time it was taken, from its name ({@link SnapshotName}). */
    public Instant time() {
        return SnapshotName.timeOf(name);
    }

    public boolean complete() {
        return manifest != null;
    }

    /**
     * Purged, and holding only objects that newer snapshots' file lists name: its tombstone
     * ({@code _runs/purged.json}) is there, and no manifest.json (nor a manifest that cannot be read) and
     * no run. Such a folder is no snapshot: it is not listed, judged by rules or restored; the objects it
     * holds are counted in {@link #legacyObjects()} and {@link #legacyStoredBytes()}. A tombstone beside a
     * manifest or a run is not one a purge wrote (it writes it last, after them): that folder is judged
     * as the snapshot it is.
     */
    public boolean purged() {
        return tombstone && manifest == null && unreadableManifest == null && runs.isEmpty();
    }

    /** Written by cassandra_snapshotter 1.x: no run records of ours (and not a purged folder). */
    public boolean legacy() {
        return runs.isEmpty() && (manifest == null || manifest.format() == null) && !purged();
    }

    public Optional<RunRecord> snapshotRun() {
        return runs.stream().filter(r -> r.runId().equals(name)).findFirst();
    }

    /** Incremental runs, oldest first. */
    public List<RunRecord> incrementalRuns() {
        return runs.stream()
                .filter(r -> !r.runId().equals(name))
                .filter(r -> r.summary() == null || r.summary().kind() == FileKind.INCREMENTAL)
                .sorted(java.util.Comparator.comparing(RunRecord::runId))
                .toList();
    }

    /** The hosts of the snapshot: from its manifest, else from its run's summary or file lists. */
    public List<String> hosts() {
        if (manifest != null) {
            return manifest.hosts();
        }
        Optional<RunRecord> run = snapshotRun();
        if (run.isEmpty()) {
            return List.of();
        }
        if (run.get().summary() != null) {
            return new ArrayList<>(run.get().summary().hosts().keySet());
        }
        return run.get().hostFileLists();
    }

    /** Hosts whose part of the snapshot is missing (empty for a complete snapshot). */
    public List<String> missingHosts() {
        if (complete()) {
            return List.of();
        }
        Set<String> missing = new LinkedHashSet<>();
        snapshotRun().ifPresent(run -> {
            missing.addAll(run.failedHosts());
            if (run.summary() == null) {
                missing.addAll(run.hostFileLists());
            }
        });
        return List.copyOf(missing);
    }

    public List<String> keyspaces() {
        return manifest == null || manifest.keyspaces() == null ? List.of() : manifest.keyspaces();
    }

    public String table() {
        return manifest == null || manifest.table() == null ? "" : manifest.table();
    }

    public List<String> excludeTables() {
        return manifest == null || manifest.excludeTables() == null ? List.of() : manifest.excludeTables();
    }
}
