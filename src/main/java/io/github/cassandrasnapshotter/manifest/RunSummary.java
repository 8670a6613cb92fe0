package io.github.cassandrasnapshotter.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** {@code _runs/<run-id>/summary.json}: written last for each run, complete or not. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunSummary(
        @JsonProperty("run_id") String runId,
        @JsonProperty("snapshot") String snapshot,
        @JsonProperty("kind") FileKind kind,
        @JsonProperty("status") RunStatus status,
        @JsonProperty("started") String started,
        @JsonProperty("finished") String finished,
        @JsonProperty("hosts") Map<String, HostSummary> hosts) implements CheckedRecord {

    @Override
    public String defect() {
        if (hosts == null || hosts.isEmpty()) {
            return "it has no hosts";
        }
        if (hosts.containsValue(null)) {
            return "it has a host without its results";
        }
        return null;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HostSummary(
            @JsonProperty("status") RunStatus status,
            @JsonProperty("files") int files,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("stored_bytes") long storedBytes,
            @JsonProperty("failed_files") int failedFiles,
            @JsonProperty("sent_bytes") Long sentBytes,
            @JsonProperty("copied_files") Integer copiedFiles,
            @JsonProperty("copied_bytes") Long copiedBytes,
            @JsonProperty("referenced_files") Integer referencedFiles,
            @JsonProperty("referenced_bytes") Long referencedBytes,
            @JsonProperty("links_removed") Integer linksRemoved,
            @JsonProperty("links_left") List<String> linksLeft,
            @JsonProperty("warnings") List<String> warnings,
            @JsonProperty("error") String error) {
    }
}
