package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * Copies an object to a new key inside the store: no byte passes through this machine. Objects up to
 * S3's single-copy limit (5 GiB) take one CopyObject; larger ones a multipart copy of byte ranges.
 * The target gets the run's encryption and storage class.
 */
public final class ServerSideCopy {
    /** S3's limit for one CopyObject. */
    public static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
    /** Range of one part of a multipart copy. */
    public static final long COPY_PART_SIZE = 512L * 1024 * 1024;

    private final S3Client s3;
    private final long singleCopyLimit;
    private final long partSize;

    public ServerSideCopy(S3Client s3) {
        this(s3, SINGLE_COPY_LIMIT, COPY_PART_SIZE);
    }

    /** Limits other than S3's, so that tests reach the multipart path with small objects. */
    public ServerSideCopy(S3Client s3, long singleCopyLimit, long partSize) {
        this.s3 = s3;
        this.singleCopyLimit = singleCopyLimit;
        this.partSize = partSize;
    }

    public void copy(String sourceKey, long length, ObjectTarget target) {
        if (length <= singleCopyLimit) {
            CopyObjectRequest.Builder request = CopyObjectRequest.builder()
                    .sourceBucket(target.bucket()).sourceKey(sourceKey)
                    .destinationBucket(target.bucket()).destinationKey(target.key())
                    .metadataDirective(MetadataDirective.COPY);
            if (target.serverSideEncryption()) {
                request.serverSideEncryption(ServerSideEncryption.AES256);
            }
            if (target.storageClass() != null) {
                request.storageClass(target.storageClass());
            }
            s3.copyObject(request.build());
            return;
        }
        multipartCopy(sourceKey, length, target);
    }

    private void multipartCopy(String sourceKey, long length, ObjectTarget target) {
        long rangeSize = Math.max(partSize, (length + MultipartUploadStream.MAX_PARTS - 1) / MultipartUploadStream.MAX_PARTS);
        String uploadId = s3.createMultipartUpload(target.createMultipartRequest()).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long first = 0; first < length; first += rangeSize, partNumber++) {
                String range = "bytes=" + first + "-" + (Math.min(length, first + rangeSize) - 1);
                int number = partNumber;
                UploadPartCopyResponse response = s3.uploadPartCopy(b -> b
                        .sourceBucket(target.bucket()).sourceKey(sourceKey)
                        .destinationBucket(target.bucket()).destinationKey(target.key())
                        .uploadId(uploadId).partNumber(number)
                        .copySourceRange(range));
                parts.add(CompletedPart.builder().partNumber(number).eTag(response.copyPartResult().eTag()).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }
}
