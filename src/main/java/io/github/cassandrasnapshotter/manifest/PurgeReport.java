package io.github.cassandrasnapshotter.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * What a purge did, or with {@code dryRun} what it would do; also stored as {@code _status/last-purge.json}.
 *
 * @param kept            every snapshot kept, with the rules that keep it
 * @param purged          the snapshots deleted (or to delete), oldest first
 * @param referenced      objects of purged snapshots left in place because a kept file list names them
 * @param failed          key → why the store did not delete it; the next purge tries again
 * @param uploadsAborted  unfinished multipart uploads aborted (or to abort)
 */
public record PurgeReport(@JsonProperty("bucket") String bucket,
                          @JsonProperty("base_path") String basePath,
                          @JsonProperty("dry_run") boolean dryRun,
                          @JsonProperty("started") String started,
                          @JsonProperty("policy") String policy,
                          @JsonProperty("kept") Map<String, List<String>> kept,
                          @JsonProperty("kept_by_rule") Map<String, Integer> keptByRule,
                          @JsonProperty("purged") List<String> purged,
                          @JsonProperty("objects_deleted") long objectsDeleted,
                          @JsonProperty("bytes_deleted") long bytesDeleted,
                          @JsonProperty("referenced") long referenced,
                          @JsonProperty("uploads_aborted") int uploadsAborted,
                          @JsonProperty("failed") Map<String, String> failed) {
    public boolean ok() {
        return failed.isEmpty();
    }
}
