package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.storage.ServerSideCopy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;

/**
 * Stores one node file by the cheapest way that keeps the backup exact:
 * <ol>
 *   <li>an incremental link whose SSTable the parent snapshot already holds is only removed;</li>
 *   <li>a file with the same keyspace, table, name, size and modification time as an earlier stored
 *       file, or the same keyspace, table, name, size and SHA-256 (it is hashed when only the time
 *       differs, or always with {@code --compare-content}), is copied inside the store from the
 *       earlier object (or is already at its key): nothing is sent from the node;</li>
 *   <li>anything else is compressed and uploaded ({@link FileUploader}).</li>
 * </ol>
 * An incremental link is removed only after its object is confirmed; a link that cannot be removed
 * is reported on the result and tried again next run, never failing the file.
 */
final class FileBackup {
    private static final Logger LOG = LoggerFactory.getLogger(FileBackup.class);

    private final FileUploader uploader;
    private final ServerSideCopy copier;
    private final PriorFileIndex priorFiles;
    private final boolean pruneCoveredLinks;
    private final long coveredBeforeMillis;
    private final boolean compareContent;

    /**
     * @param coveredBeforeMillis incremental links last modified before this time are covered by the
     *                            parent snapshot (flushed before it was taken); 0 for none
     * @param compareContent      hash a file even when name, size and modification time match a prior file
     */
    FileBackup(FileUploader uploader, ServerSideCopy copier, PriorFileIndex priorFiles, boolean pruneCoveredLinks,
               long coveredBeforeMillis, boolean compareContent) {
        this.uploader = uploader;
        this.copier = copier;
        this.priorFiles = priorFiles;
        this.pruneCoveredLinks = pruneCoveredLinks;
        this.coveredBeforeMillis = coveredBeforeMillis;
        this.compareContent = compareContent;
    }

    FileResult store(NodeFile file) throws InterruptedException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file.path(), BasicFileAttributes.class);
        } catch (IOException e) {
            return uploader.upload(file); // reports the unreadable file with its reason
        }
        boolean incremental = file.kind() == FileKind.INCREMENTAL;
        if (incremental && pruneCoveredLinks && attributes.isRegularFile() && coveredByParent(file, attributes)) {
            return removeLink(file, FileResult.covered(file, attributes.size()));
        }
        FileResult result = reuse(file, attributes).orElse(null);
        if (result == null) {
            result = uploader.upload(file);
        }
        return incremental && result.ok() ? removeLink(file, result) : result;
    }

    private boolean coveredByParent(NodeFile file, BasicFileAttributes attributes) {
        return priorFiles.inParentSnapshot(file, attributes.size())
                || attributes.lastModifiedTime().toMillis() < coveredBeforeMillis;
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
        if (!source.key().equals(key)) {
            try {
                copier.copy(source.key(), source.storedSize(), uploader.targetOf(file));
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

    private static FileResult removeLink(NodeFile file, FileResult result) {
        try {
            Files.deleteIfExists(file.path());
            return result.withLinkRemoval(true, null);
        } catch (AccessDeniedException e) {
            return result.withLinkRemoval(false, "cannot remove " + file.path() + ": permission denied");
        } catch (NoSuchFileException e) {
            return result.withLinkRemoval(true, null);
        } catch (IOException e) {
            return result.withLinkRemoval(false, "cannot remove " + file.path() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }
}
