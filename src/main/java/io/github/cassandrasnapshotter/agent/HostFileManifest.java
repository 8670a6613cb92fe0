package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.manifest.CheckedRecord;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code _runs/<run-id>/<host>.json}: every file one host uploaded in one run, and those that failed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HostFileManifest(
        @JsonProperty("host") String host,
        @JsonProperty("snapshot") String snapshot,
        @JsonProperty("run_id") String runId,
        @JsonProperty("kind") FileKind kind,
        @JsonProperty("files") List<FileResult> files,
        @JsonProperty("failed") List<FileResult> failed,
        @JsonProperty("error") String error) implements CheckedRecord {

    @Override
    public String defect() {
        if (files == null) {
            return "it has no files";
        }
        for (FileResult file : files) {
            if (file == null || file.stored() && (file.path() == null || file.key() == null)) {
                return "it lists a file without its path or key";
            }
        }
        return null;
    }
}
