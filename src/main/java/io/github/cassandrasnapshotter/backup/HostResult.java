package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.agent.FileResult;

import java.util.List;

/**
 * What one host did in a run: the files it uploaded, those that failed, and a host-level error
 * (SSH refused, nodetool failed, agent missing) when it could not run at all.
 */
public record HostResult(String host, List<FileResult> uploaded, List<FileResult> failed, String error) {

    public HostResult {
        uploaded = List.copyOf(uploaded);
        failed = List.copyOf(failed);
    }

    public static HostResult hostFailed(String host, String error) {
        return new HostResult(host, List.of(), List.of(), error);
    }

    public boolean ok() {
        return error == null && failed.isEmpty();
    }

    public long bytes() {
        return uploaded.stream().mapToLong(FileResult::size).sum();
    }

    public long storedBytes() {
        return uploaded.stream().mapToLong(FileResult::storedSize).sum();
    }
}
