package io.github.cassandrasnapshotter.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What {@code list} shows, and its {@code --json} form: every snapshot, newest first, with its runs; and
 * the purged snapshot folders that still hold objects newer snapshots refer to, which are no snapshots.
 *
 * @param purgedFolders null when there are none (then {@code --json} has no {@code purged_folders})
 */
public record BackupListing(
        @JsonProperty("bucket") String bucket,
        @JsonProperty("base_path") String basePath,
        @JsonProperty("snapshots") List<Snapshot> snapshots,
        @JsonProperty("purged_folders") @JsonInclude(JsonInclude.Include.NON_NULL) PurgedFolders purgedFolders) {

    public BackupListing(String bucket, String basePath, List<Snapshot> snapshots) {
        this(bucket, basePath, snapshots, null);
    }

    /**
     * Purged snapshot folders (each with its {@code _runs/purged.json}) that hold only objects file lists of
     * newer snapshots name; the next purge removes what is no longer named.
     *
     * @param names oldest first
     */
    public record PurgedFolders(
            @JsonProperty("names") List<String> names,
            @JsonProperty("objects") long objects,
            @JsonProperty("stored_bytes") long storedBytes) {
    }

    public enum Status {
        @JsonProperty("complete") COMPLETE,
        @JsonProperty("incomplete") INCOMPLETE,
        /** A run that ended without its summary (the coordinator was stopped). */
        @JsonProperty("interrupted") INTERRUPTED,
        @JsonProperty("failed") FAILED,
        /** Its manifest.json (or a run's summary.json) exists and cannot be used: see {@code unreadable}. */
        @JsonProperty("unreadable") UNREADABLE
    }

    /**
     * @param keyspaces null when every keyspace was backed up
     * @param bytes      original bytes; null for the old tool's snapshots, whose manifests do not say
     * @param unreadable its metadata objects that cannot be used, each named by its key with the reason
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Snapshot(
            @JsonProperty("name") String name,
            @JsonProperty("time") String time,
            @JsonProperty("status") Status status,
            @JsonProperty("written_by") String writtenBy,
            @JsonProperty("hosts") List<String> hosts,
            @JsonProperty("missing_hosts") List<String> missingHosts,
            @JsonProperty("keyspaces") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> keyspaces,
            @JsonProperty("table") String table,
            @JsonProperty("files") int files,
            @JsonProperty("bytes") Long bytes,
            @JsonProperty("stored_bytes") long storedBytes,
            @JsonProperty("runs") List<Run> runs,
            @JsonProperty("unreadable") List<String> unreadable) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(
            @JsonProperty("run_id") String runId,
            @JsonProperty("time") String time,
            @JsonProperty("status") Status status,
            @JsonProperty("files") int files,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("stored_bytes") long storedBytes,
            @JsonProperty("failed_hosts") List<String> failedHosts,
            @JsonProperty("unreadable") String unreadable) {
    }
}
