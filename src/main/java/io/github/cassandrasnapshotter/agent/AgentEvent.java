package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

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
        String message) {

    public enum Type { START, FILE, PROGRESS, DONE, ERROR }

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
