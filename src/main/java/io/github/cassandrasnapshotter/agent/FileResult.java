package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What happened to one file: on success everything the manifest records; on failure the reason.
 * {@code sha256} is of the original bytes, computed while streaming.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileResult(
        String path,
        String key,
        String keyspace,
        String table,
        FileKind kind,
        Long size,
        Long storedSize,
        String sha256,
        Long mtime,
        String compression,
        Integer attempts,
        String error) {

    public static FileResult uploaded(NodeFile file, String key, long size, long storedSize, String sha256,
                                      long mtime, String compression, int attempts) {
        return new FileResult(file.path().toString(), key, file.keyspace(), file.table(), file.kind(), size,
                storedSize, sha256, mtime, compression, attempts, null);
    }

    public static FileResult failed(NodeFile file, String key, int attempts, String error) {
        return new FileResult(file.path().toString(), key, file.keyspace(), file.table(), file.kind(), null, null,
                null, null, null, attempts, error);
    }

    @JsonIgnore
    public boolean ok() {
        return error == null;
    }
}
