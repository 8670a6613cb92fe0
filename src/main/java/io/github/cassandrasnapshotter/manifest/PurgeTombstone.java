package io.github.cassandrasnapshotter.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code <base>/<snapshot>/_runs/purged.json}: the snapshot was purged, and its folder holds only objects
 * that file lists of kept snapshots name. It is written after every other object of the folder is gone,
 * so a folder with it and without {@code manifest.json} is no snapshot: {@code list} does not show it,
 * the rules do not judge it, restore does not pick it. Every purge deletes what no kept list names any
 * more, and the tombstone itself once the folder holds nothing else.
 *
 * <p>Its counts are for people: a purge decides what to delete from the kept file lists only, never from
 * this record.
 *
 * @param referencedObjects objects left in the folder because kept file lists name them
 * @param referencedBytes   their stored size
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PurgeTombstone(@JsonProperty("format") String format,
                             @JsonProperty("snapshot") String snapshot,
                             @JsonProperty("purged_at") String purgedAt,
                             @JsonProperty("referenced_objects") long referencedObjects,
                             @JsonProperty("referenced_bytes") long referencedBytes) implements CheckedRecord {
    public static final String FORMAT = "cassandra-snapshotter/purged-1";

    @Override
    public String defect() {
        if (snapshot == null) {
            return "it has no snapshot name";
        }
        return format == null ? "it has no format" : null;
    }
}
