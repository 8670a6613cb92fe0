package io.github.cassandrasnapshotter.retention;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import io.github.cassandrasnapshotter.validate.SnapshotName;

import java.time.Instant;

/**
 * Multipart uploads under the base path started before a cut-off: an agent that was halted, or a store
 * that lost an abort, leaves them, invisible in listings and billed by the byte. A backup that is
 * running holds the lock a purge takes, and its uploads are younger than the grace period.
 */
final class StaleUploads {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Instant startedBefore;

    StaleUploads(S3Client s3, String bucket, String prefix, Instant startedBefore) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.startedBefore = startedBefore;
    }

    int count() {
        int stale = 0;
        for (MultipartUpload upload : uploads()) {
            if (stale(upload)) {
                stale++;
            }
        }
        return stale;
    }

    /** Aborts each stale upload; one that cannot be aborted goes into {@code failed} under its key. */
    int abort(FailedDeletes failed) {
        int aborted = 0;
        for (MultipartUpload upload : uploads()) {
            if (!stale(upload)) {
                continue;
            }
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                aborted++;
            } catch (SdkException e) {
                failed.add(upload.key() + " (upload " + upload.uploadId() + ")", String.valueOf(e.getMessage()));
            }
        }
        return aborted;
    }

    /** Started before the cut-off, in a snapshot folder of this base path (not in another base path below it). */
    private boolean stale(MultipartUpload upload) {
        String folder = upload.key().substring(prefix.length()).split("/", 2)[0];
        return upload.key().startsWith(prefix) && SnapshotName.isName(folder)
                && upload.initiated() != null && upload.initiated().isBefore(startedBefore);
    }

    private Iterable<MultipartUpload> uploads() {
        return s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads();
    }
}
