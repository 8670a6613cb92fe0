package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What happened to one file: on success everything the manifest records; on failure the reason.
 * {@code sha256} is of the original bytes. {@code device} and {@code inode} say which file on the node
 * it was ({@link FileIdentity}): an incremental link of the same inode as a snapshot file is that file.
 * {@code keyId} is the client-side encryption key of the object ({@code --encryption-key-file}); null when
 * the object is not encrypted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileResult(
        String path,
        String name,
        String key,
        String keyspace,
        String table,
        FileKind kind,
        FileAction action,
        Long size,
        Long storedSize,
        String sha256,
        Long mtime,
        String compression,
        Integer attempts,
        String copiedFrom,
        Long keyId,
        Long device,
        Long inode,
        String error) {

    public static FileResult uploaded(NodeFile file, String key, long size, long storedSize, String sha256,
                                      long mtime, String compression, int attempts, Long keyId) {
        return new FileResult(file.path().toString(), file.name(), key, file.keyspace(), file.table(), file.kind(),
                FileAction.UPLOADED, size, storedSize, sha256, mtime, compression, attempts, null, keyId, null, null, null);
    }

    /** Stored from an earlier object with the same content: copied to {@code key}, or already there. */
    public static FileResult reused(NodeFile file, String key, PriorFile source, long mtime) {
        boolean same = source.key().equals(key);
        return new FileResult(file.path().toString(), file.name(), key, file.keyspace(), file.table(), file.kind(),
                same ? FileAction.ALREADY_STORED : FileAction.COPIED, source.size(), source.storedSize(),
                source.sha256(), mtime, source.compression(), 1, same ? null : source.key(), source.keyId(), null, null, null);
    }

    /**
     * Stored by an earlier backup with the same content: this run's list names that object, {@code source.key()},
     * found in place with its recorded size ({@link FileAction#REFERENCED}).
     */
    public static FileResult referenced(NodeFile file, PriorFile source, long mtime) {
        return new FileResult(file.path().toString(), file.name(), source.key(), file.keyspace(), file.table(),
                file.kind(), FileAction.REFERENCED, source.size(), source.storedSize(), source.sha256(), mtime,
                source.compression(), 1, null, source.keyId(), null, null, null);
    }

    public static FileResult covered(NodeFile file, long size) {
        return new FileResult(file.path().toString(), file.name(), null, file.keyspace(), file.table(), file.kind(),
                FileAction.COVERED_BY_SNAPSHOT, size, null, null, null, null, null, null, null, null, null, null);
    }

    public static FileResult failed(NodeFile file, String key, int attempts, String error) {
        return new FileResult(file.path().toString(), file.name(), key, file.keyspace(), file.table(), file.kind(),
                null, null, null, null, null, null, attempts, null, null, null, null, error);
    }

    /** This result with the node file's device and inode (none when {@code identity} is null). */
    public FileResult withIdentity(FileIdentity identity) {
        return identity == null ? this : new FileResult(path, name, key, keyspace, table, kind, action, size,
                storedSize, sha256, mtime, compression, attempts, copiedFrom, keyId, identity.device(), identity.inode(), error);
    }

    /** Whether the node's incremental link of this file may be removed once a record names what replaces it. */
    @JsonIgnore
    public boolean linkToRemove() {
        return ok() && kind == FileKind.INCREMENTAL;
    }

    @JsonIgnore
    public boolean ok() {
        return error == null;
    }

    /** Stored in this run (uploaded, copied or found in place), so listed in the run's file list. */
    @JsonIgnore
    public boolean stored() {
        return ok() && action != FileAction.COVERED_BY_SNAPSHOT;
    }

    /** Bytes that left the node for this file. */
    @JsonIgnore
    public long sentBytes() {
        return ok() && action == FileAction.UPLOADED && storedSize != null ? storedSize : 0;
    }

    /** Bytes stored without leaving the node by a copy in the store, or found already at this file's key. */
    @JsonIgnore
    public long reusedBytes() {
        return ok() && (action == FileAction.COPIED || action == FileAction.ALREADY_STORED) && storedSize != null
                ? storedSize : 0;
    }

    /** Bytes of an earlier backup's object that this run's list names: neither sent nor copied. */
    @JsonIgnore
    public long referencedBytes() {
        return ok() && action == FileAction.REFERENCED && storedSize != null ? storedSize : 0;
    }
}
