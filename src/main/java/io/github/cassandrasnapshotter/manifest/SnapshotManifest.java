package io.github.cassandrasnapshotter.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.SnapshotName;

import java.util.List;

/**
 * {@code <base>/<snapshot>/manifest.json}, written last: its presence is what makes a snapshot
 * complete. The first five keys are cassandra_snapshotter 1.x's and keep their meaning (the old
 * tool still reads our backups); ours are added after them, never renamed.
 *
 * @param keyspaces       null when every keyspace was backed up, as the old tool wrote it
 * @param table           "" when every table was backed up
 * @param files           files of the snapshot itself (its incremental runs are counted in theirs)
 * @param incrementalRuns the runs added since, oldest first: the manifest is written again after each,
 *                        so that {@code list} needs one object per snapshot; {@code _runs/} stays the record
 * @param clientSideEncryption true when its data objects are encrypted on the nodes ({@code --encryption-key-file});
 *                        absent when not. A run with a key file never adds to a snapshot without, nor the reverse.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotManifest(
        @JsonProperty("name") String name,
        @JsonProperty("base_path") String basePath,
        @JsonProperty("hosts") List<String> hosts,
        @JsonProperty("keyspaces") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> keyspaces,
        @JsonProperty("table") String table,
        @JsonProperty("format") String format,
        @JsonProperty("tool_version") String toolVersion,
        @JsonProperty("created") String created,
        @JsonProperty("exclude_tables") List<String> excludeTables,
        @JsonProperty("compression") String compression,
        @JsonProperty("runs") List<String> runs,
        @JsonProperty("files") Integer files,
        @JsonProperty("bytes") Long bytes,
        @JsonProperty("stored_bytes") Long storedBytes,
        @JsonProperty("incremental_runs") List<RunEntry> incrementalRuns,
        @JsonProperty("client_side_encryption") Boolean clientSideEncryption) implements CheckedRecord {

    @Override
    public String defect() {
        if (!SnapshotName.isName(name)) {
            return "its name is not a snapshot name (YYYYmmddHHMMSS)";
        }
        if (hosts == null || hosts.isEmpty()) {
            return "it has no hosts";
        }
        for (String host : hosts) {
            if (host == null || !InputValidator.isHost(host)) {
                return "it names a host that is not a host name or IP address";
            }
        }
        if (hasNull(keyspaces) || hasNull(excludeTables) || hasNull(runs)) {
            return "it has an empty entry in keyspaces, exclude_tables or runs";
        }
        if (incrementalRuns != null && incrementalRuns.stream().anyMatch(r -> r == null || r.runId() == null)) {
            return "it lists an incremental run without its run_id";
        }
        return null;
    }

    private static boolean hasNull(List<String> values) {
        return values != null && values.contains(null);
    }

    /** The same manifest with one more incremental run. */
    public SnapshotManifest withRun(RunEntry run) {
        java.util.List<String> allRuns = new java.util.ArrayList<>(runs == null ? List.of() : runs);
        allRuns.add(run.runId());
        java.util.List<RunEntry> entries = new java.util.ArrayList<>(incrementalRuns == null ? List.of() : incrementalRuns);
        entries.add(run);
        return new SnapshotManifest(name, basePath, hosts, keyspaces, table, format, toolVersion, created,
                excludeTables, compression, allRuns, files, bytes, storedBytes, entries, clientSideEncryption);
    }

    /** Whether its data objects are encrypted on the nodes. */
    public boolean encrypted() {
        return Boolean.TRUE.equals(clientSideEncryption);
    }

    /** Marks manifests written by this tool, as opposed to the old one. */
    public static final String FORMAT = "cassandra-snapshotter/2";
}
