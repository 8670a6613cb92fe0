package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.agent.FileAction;
import io.github.cassandrasnapshotter.agent.FileResult;

import java.util.List;

/**
 * What one host did in a run: the files it stored, those that failed, the incremental links it
 * removed because the parent snapshot holds them, warnings, and a host-level error (SSH refused,
 * nodetool failed, agent missing) when it could not run at all.
 */
public record HostResult(String host, List<FileResult> uploaded, List<FileResult> failed, int coveredLinks,
                         List<String> warnings, String error) {

    public HostResult {
        uploaded = List.copyOf(uploaded);
        failed = List.copyOf(failed);
        warnings = List.copyOf(warnings);
    }

    public HostResult(String host, List<FileResult> uploaded, List<FileResult> failed, String error) {
        this(host, uploaded, failed, 0, List.of(), error);
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

    /** Stored bytes sent from the node. */
    public long sentBytes() {
        return uploaded.stream().mapToLong(FileResult::sentBytes).sum();
    }

    /** Stored bytes copied inside the store or found in place: nothing sent. */
    public long reusedBytes() {
        return uploaded.stream().mapToLong(FileResult::reusedBytes).sum();
    }

    public int reusedFiles() {
        return (int) uploaded.stream().filter(f -> f.action() == FileAction.COPIED
                || f.action() == FileAction.ALREADY_STORED).count();
    }

    public int linksRemoved() {
        return (int) uploaded.stream().filter(f -> Boolean.TRUE.equals(f.linkRemoved())).count() + coveredLinks;
    }

    /** Incremental links that could not be removed after their upload; tried again next run. */
    public List<String> linkErrors() {
        return uploaded.stream().map(FileResult::linkError).filter(java.util.Objects::nonNull).toList();
    }
}
