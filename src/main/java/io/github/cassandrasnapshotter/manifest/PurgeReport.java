package io.github.cassandrasnapshotter.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * What a purge did, or with {@code dryRun} what it would do; also stored as {@code _status/last-purge.json}.
 *
 * @param kept            every snapshot kept, with the rules that keep it
 * @param purged          the snapshots deleted (or to delete), oldest first
 * @param referenced      objects of purged snapshots (and of purged folders) left in place because a kept file
 *                        list names them
 * @param holdingFolders  purged snapshot folders that still hold referenced objects after this purge (each with
 *                        its tombstone {@code _runs/purged.json}), folder → objects it holds
 * @param emptiedFolders  purged folders whose last objects went in this purge, tombstone included
 * @param notDeleted      folder (a snapshot's name, or {@code _status}) → what the store did not delete there; the
 *                        next purge tries again
 * @param uploadsAborted  unfinished multipart uploads aborted (or to abort)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
                          @JsonProperty("holding_folders") Map<String, Long> holdingFolders,
                          @JsonProperty("emptied_folders") List<String> emptiedFolders,
                          @JsonProperty("uploads_aborted") int uploadsAborted,
                          @JsonProperty("not_deleted") Map<String, NotDeleted> notDeleted) {
    /** At most this many keys are named per folder: the report stays small however many deletes fail. */
    public static final int KEYS_NAMED = 10;

    /**
     * What the store did not delete in one folder.
     *
     * @param count every key not deleted there
     * @param first the first {@value #KEYS_NAMED} of them (in the order they failed), key → the store's reason
     */
    public record NotDeleted(@JsonProperty("count") long count, @JsonProperty("first") Map<String, String> first) {
    }

    public PurgeReport {
        holdingFolders = holdingFolders == null ? Map.of() : holdingFolders;
        emptiedFolders = emptiedFolders == null ? List.of() : emptiedFolders;
        notDeleted = notDeleted == null ? Map.of() : notDeleted;
    }

    public boolean ok() {
        return notDeleted.isEmpty();
    }

    /** Every key the store did not delete, in all folders. */
    public long notDeletedCount() {
        return notDeleted.values().stream().mapToLong(NotDeleted::count).sum();
    }

    /** Whether {@code key} is among the keys named as not deleted. */
    public boolean names(String key) {
        return notDeleted.values().stream().anyMatch(n -> n.first().containsKey(key));
    }
}
