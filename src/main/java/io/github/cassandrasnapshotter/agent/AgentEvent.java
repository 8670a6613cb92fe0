package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * One line the agent writes on stdout: the start of the run, a file's result, progress, the end, or
 * an error that stops the whole run on this node.
 *
 * @param fileList     DONE of a backup: the key of the run's file list the agent stored for this host
 *                     (the record every link removal waits for), or null when it could not be stored
 * @param linksRemoved DONE of an incremental run: {@code backups/} links removed after the file list
 *                     was stored, {@code coveredLinks} of them of SSTables the parent snapshot holds
 * @param linkErrors   links that could not be removed (tried again next run)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
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
        Map<String, String> staged,
        String fileList,
        Integer linksRemoved,
        Integer coveredLinks,
        List<String> linkErrors) {

    /** RESTORED: one file of an in-place restore, downloaded (or found) in its staging folder. */
    public enum Type { START, FILE, RESTORED, PROGRESS, DONE, ERROR }

    private static AgentEvent of(Type type, String version, FileResult file, Integer filesTotal, Long bytesTotal,
                                 Integer filesDone, Long bytesDone, Integer filesFailed, String message) {
        return new AgentEvent(type, version, file, filesTotal, bytesTotal, filesDone, bytesDone, filesFailed, message,
                null, null, null, null, null, null);
    }

    public static AgentEvent restored(DownloadResult result) {
        return new AgentEvent(Type.RESTORED, null, null, null, null, null, null, null, null, result, null,
                null, null, null, null);
    }

    /** The end of an in-place restore: each table's staging folder, {@code keyspace.table} to path. */
    public static AgentEvent staged(int filesDone, long bytesDone, int filesFailed, Map<String, String> staged) {
        return new AgentEvent(Type.DONE, null, null, null, null, filesDone, bytesDone, filesFailed, null, null, staged,
                null, null, null, null);
    }

    /** @param warning something the operator should know about this node, or null */
    public static AgentEvent start(String version, int filesTotal, long bytesTotal, String warning) {
        return of(Type.START, version, null, filesTotal, bytesTotal, null, null, null, warning);
    }

    public static AgentEvent file(FileResult file) {
        return of(Type.FILE, null, file, null, null, null, null, null, null);
    }

    public static AgentEvent progress(int filesDone, long bytesDone) {
        return of(Type.PROGRESS, null, null, null, null, filesDone, bytesDone, null, null);
    }

    /** The end of a backup on this node: its counts, the file list stored, the links removed after it. */
    public static AgentEvent done(int filesDone, long bytesDone, int filesFailed, String fileList,
                                  LinkRemover.Outcome links) {
        return new AgentEvent(Type.DONE, null, null, null, null, filesDone, bytesDone, filesFailed, null, null, null,
                fileList, links.removed(), links.covered(), links.errors().isEmpty() ? null : links.errors());
    }

    public static AgentEvent error(String message) {
        return of(Type.ERROR, null, null, null, null, null, null, null, message);
    }
}
