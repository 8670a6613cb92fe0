package io.github.cassandrasnapshotter.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code <base>/_status/last-run.json} after every run, and {@code last-complete.json} after every
 * complete one: what monitoring reads ({@code status}) without listing the bucket.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupStatus(
        @JsonProperty("base_path") String basePath,
        @JsonProperty("snapshot") String snapshot,
        @JsonProperty("run_id") String runId,
        @JsonProperty("kind") FileKind kind,
        @JsonProperty("status") RunStatus status,
        @JsonProperty("started") String started,
        @JsonProperty("finished") String finished,
        @JsonProperty("duration_seconds") long durationSeconds,
        @JsonProperty("hosts") List<String> hosts,
        @JsonProperty("files") int files,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("stored_bytes") long storedBytes,
        @JsonProperty("sent_bytes") long sentBytes,
        @JsonProperty("copied_bytes") long copiedBytes,
        @JsonProperty("referenced_bytes") Long referencedBytes,
        @JsonProperty("failures") List<String> failures) {
}
