package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.agent.FileAction;
import io.github.cassandrasnapshotter.agent.FileResult;

import java.util.List;

/**
 * What one host did in a run: the files it stored, those that failed, the incremental links its agent
 * removed once its file list was stored ({@code coveredLinks} of them because the parent snapshot holds
 * their SSTables), links it could not remove, warnings, and a host-level error (SSH refused, nodetool
 * failed, agent missing or stopped, file list not stored).
 */
public record HostResult(String host, List<FileResult> uploaded, List<FileResult> failed, int linksRemoved,
                         int coveredLinks, List<String> linkErrors, List<String> warnings, String error) {

    public HostResult {
        uploaded = List.copyOf(uploaded);
        failed = List.copyOf(failed);
        linkErrors = List.copyOf(linkErrors);
        warnings = List.copyOf(warnings);
    }

    public HostResult(String host, List<FileResult> uploaded, List<FileResult> failed, String error) {
        this(host, uploaded, failed, 0, 0, List.of(), List.of(), error);
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

    /** Stored bytes of earlier backups' objects that this run's list names: neither sent nor copied. */
    public long referencedBytes() {
        return uploaded.stream().mapToLong(FileResult::referencedBytes).sum();
    }

    public int referencedFiles() {
        return (int) uploaded.stream().filter(f -> f.action() == FileAction.REFERENCED).count();
    }

    public int reusedFiles() {
        return (int) uploaded.stream().filter(f -> f.action() == FileAction.COPIED
                || f.action() == FileAction.ALREADY_STORED).count();
    }
}
