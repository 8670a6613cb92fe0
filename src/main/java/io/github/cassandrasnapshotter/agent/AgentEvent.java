package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.cassandrasnapshotter.restore.DownloadResult;

import java.util.Map;

/**
 * One line the agent writes on stdout: the start of the run, a file's result, progress, the end, or
 * an error that stops the whole run on this node.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentEvent(
        Type type,
        String version,
        FileResult file,
        Integer filesTotal,
        Long bytesTotal,
        Integer filesDone,
        Long bytesDone,
        Integer filesFailed,
        String message,
        DownloadResult restored,
        Map<String, String> staged) {

    /** RESTORED: one file of an in-place restore, downloaded (or found) in its staging folder. */
    public enum Type { START, FILE, RESTORED, PROGRESS, DONE, ERROR }

    public AgentEvent(Type type, String version, FileResult file, Integer filesTotal, Long bytesTotal,
                      Integer filesDone, Long bytesDone, Integer filesFailed, String message) {
        this(type, version, file, filesTotal, bytesTotal, filesDone, bytesDone, filesFailed, message, null, null);
    }

    public static AgentEvent restored(DownloadResult result) {
        return new AgentEvent(Type.RESTORED, null, null, null, null, null, null, null, null, result, null);
    }

    /** The end of an in-place restore: each table's staging folder, {@code keyspace.table} to path. */
    public static AgentEvent staged(int filesDone, long bytesDone, int filesFailed, Map<String, String> staged) {
        return new AgentEvent(Type.DONE, null, null, null, null, filesDone, bytesDone, filesFailed, null, null, staged);
    }

    /** @param warning something the operator should know about this node, or null */
    public static AgentEvent start(String version, int filesTotal, long bytesTotal, String warning) {
        return new AgentEvent(Type.START, version, null, filesTotal, bytesTotal, null, null, null, warning);
    }

    public static AgentEvent file(FileResult file) {
        return new AgentEvent(Type.FILE, null, file, null, null, null, null, null, null);
    }

    public static AgentEvent progress(int filesDone, long bytesDone) {
        return new AgentEvent(Type.PROGRESS, null, null, null, null, filesDone, bytesDone, null, null);
    }

    public static AgentEvent done(int filesDone, long bytesDone, int filesFailed) {
        return new AgentEvent(Type.DONE, null, null, null, null, filesDone, bytesDone, filesFailed, null);
    }

    public static AgentEvent error(String message) {
        return new AgentEvent(Type.ERROR, null, null, null, null, null, null, null, message);
    }
}
