package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.storage.ServerSideCopy;
import io.github.cassandrasnapshotter.storage.StoredObjectCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Stores one node file by the cheapest way that keeps the backup exact:
 * <ol>
 *   <li>an incremental link that is one of the parent snapshot's files ({@link SnapshotCoverage}) is
 *       only reported as covered;</li>
 *   <li>a file with the same keyspace, table, name, size and modification time as an earlier stored
 *       file, or the same keyspace, table, name, size and SHA-256 (it is hashed when only the time
 *       differs, or always with {@code --compare-content}), is not sent from the node: its list names
 *       the earlier object when the run refers ({@link StoredObjectCheck} finds it in place, encrypted as
 *       this run writes), else the object is copied inside the store to this file's key (or is already
 *       there);</li>
 *   <li>anything else is compressed and uploaded ({@link FileUploader}).</li>
 * </ol>
 * No link is removed here: {@link NodeAgent} removes them once a record in the store names every
 * file of the run ({@link LinkRemover}). Every result carries the file's device and inode.
 */
final class FileBackup {
    private static final Logger LOG = LoggerFactory.getLogger(FileBackup.class);

    private final FileUploader uploader;
    private final ServerSideCopy copier;
    private final StoredObjectCheck references;
    private final PriorFileIndex priorFiles;
    private final boolean compareContent;
    private final AgentStop stop;

    /**
     * @param references     checks an earlier object before this run's list names it; null when the run
     *                       copies (self-contained snapshots)
     * @param compareContent hash a file even when name, size and modification time match a prior file
     */
    FileBackup(FileUploader uploader, ServerSideCopy copier, StoredObjectCheck references, PriorFileIndex priorFiles,
               boolean compareContent, AgentStop stop) {
        this.uploader = uploader;
        this.copier = copier;
        this.references = references;
        this.priorFiles = priorFiles;
        this.compareContent = compareContent;
        this.stop = stop;
    }

    FileResult store(NodeFile file) throws InterruptedException {
        if (stop.requested()) {
            return FileResult.failed(file, uploader.keyOf(file), 0, "not stored: the agent stopped: " + stop.reason());
        }
        FileIdentity identity = FileIdentity.of(file.path());
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
        } catch (IOException e) {
            return uploader.upload(file); // reports the unreadable file with its reason
        }
        if (file.kind() == FileKind.INCREMENTAL && attributes.isRegularFile() && coveredByParent(file, attributes, identity)) {
            return FileResult.covered(file, attributes.size()).withIdentity(identity);
        }
        FileResult result = reuse(file, attributes).orElse(null);
        if (result == null) {
            result = uploader.upload(file);
        }
        return result.withIdentity(identity);
    }

    private boolean coveredByParent(NodeFile file, BasicFileAttributes attributes, FileIdentity identity) {
        return SnapshotCoverage.covers(priorFiles.inParentSnapshot(file, attributes.size()), identity,
                attributes.lastModifiedTime().toMillis(), () -> ContentHash.ofFile(file.path(), attributes));
    }

    private Optional<FileResult> reuse(NodeFile file, BasicFileAttributes attributes) throws InterruptedException {
        List<PriorFile> candidates = priorFiles.candidates(file, attributes.size());
        if (candidates.isEmpty() || !attributes.isRegularFile()) {
            return Optional.empty();
        }
        String key = uploader.keyOf(file);
        long mtime = attributes.lastModifiedTime().toMillis();
        Optional<PriorFile> match = compareContent ? Optional.empty() : priorFiles.unchanged(candidates, mtime, key);
        if (match.isEmpty()) {
            match = sameContent(file, attributes, candidates, key);
        }
        if (match.isEmpty()) {
            return Optional.empty();
        }
        PriorFile source = match.get();
        if (!source.key().equals(key) && references != null) {
            StoredObjectCheck.Result found = references.check(source.key(), source.storedSize());
            if (found.referable()) {
                return Optional.of(FileResult.referenced(file, source, mtime));
            }
            LOG.info("{} is not named by this run's list ({}): {} instead", file.path(), found.reason(),
                    found.instead() == StoredObjectCheck.Instead.COPY ? "copying it" : "uploading the file");
            if (found.instead() == StoredObjectCheck.Instead.UPLOAD) {
                return Optional.empty();
            }
        }
        if (!source.key().equals(key)) {
            try {
                copier.copy(source.key(), source.storedSize(), uploader.targetOf(file, source.keyId()));
            } catch (SdkException e) {
                // The earlier object may have expired (lifecycle rules): send the file instead.
                LOG.info("copy of {} to {} failed ({}); uploading it instead", source.key(), key, e.getMessage());
                return Optional.empty();
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted after storing " + file.path());
        }
        return Optional.of(FileResult.reused(file, key, source, mtime));
    }

    private Optional<PriorFile> sameContent(NodeFile file, BasicFileAttributes attributes,
                                            List<PriorFile> candidates, String key) {
        String sha256;
        try {
            sha256 = ContentHash.ofFile(file.path(), attributes);
        } catch (IOException e) {
            return Optional.empty();
        }
        return sha256 == null ? Optional.empty() : priorFiles.withContent(candidates, sha256, key);
    }

}
