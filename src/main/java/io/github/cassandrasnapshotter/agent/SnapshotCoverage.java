package io.github.cassandrasnapshotter.agent;

import java.io.IOException;
import java.util.List;

/**
 * Whether an incremental {@code backups/} link is one of the parent snapshot's files, so that removing it
 * loses nothing: among the snapshot's files of the same table folder, name and size
 * ({@link PriorFileIndex#inParentSnapshot}), one is the same file (the same device and inode, and the
 * same modification time, which hard links share, so that an inode number given out again to another
 * file does not pass) or has the same SHA-256. Never a comparison of two machines' clocks.
 */
final class SnapshotCoverage {
    /** The SHA-256 of the link's bytes, read only when identity does not decide; null when it cannot be read. */
    interface Content {
        String sha256() throws IOException;
    }

    private SnapshotCoverage() {
    }

    static boolean covers(List<PriorFile> snapshotFiles, FileIdentity identity, long mtime, Content content) {
        if (snapshotFiles.isEmpty()) {
            return false;
        }
        if (identity != null && snapshotFiles.stream().anyMatch(c -> identity.is(c.device(), c.inode())
                && c.mtime() != null && c.mtime() == mtime)) {
            return true;
        }
        try {
            String sha256 = content.sha256();
            return sha256 != null && snapshotFiles.stream().anyMatch(c -> sha256.equals(c.sha256()));
        } catch (IOException e) {
            return false; // the upload reports what is wrong with the file
        }
    }
}
