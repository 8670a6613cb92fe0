package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Copies an object to a new key inside the store: no byte passes through this machine. Objects up to
 * S3's single-copy limit (5 GiB) take one CopyObject; larger ones a multipart copy of byte ranges,
 * several at once. Ranges are not used below the limit: a store that joins the parts at the end
 * writes the object twice (measured on S3Proxy with a node's 4.2 GB of objects, eight at a time:
 * 12.7 to 18.9 s as single copies, 20.2 to 32.5 s with 128 MB ranges for objects over 256 MB).
 * The target gets the run's encryption and storage class.
 */
public final class ServerSideCopy {
    /** S3's limit for one CopyObject: larger objects are copied in ranges. */
    public static final long SINGLE_COPY_LIMIT = 5L * 1024 * 1024 * 1024;
    /** Range of one part of a multipart copy (larger when an object would need more than 10,000). */
    public static final long COPY_PART_SIZE = 512L * 1024 * 1024;

    private final S3Client s3;
    private final ExecutorService partWorkers;
    private final long singleCopyLimit;
    private final long partSize;

    /** @param partWorkers runs the ranges of a multipart copy; its size bounds how many run at once */
    public ServerSideCopy(S3Client s3, ExecutorService partWorkers) {
        this(s3, partWorkers, SINGLE_COPY_LIMIT, COPY_PART_SIZE);
    }

    /** Other sizes than the defaults, so that tests reach the multipart path with small objects. */
    public ServerSideCopy(S3Client s3, ExecutorService partWorkers, long singleCopyLimit, long partSize) {
        this.s3 = s3;
        this.partWorkers = partWorkers;
        this.singleCopyLimit = singleCopyLimit;
        this.partSize = partSize;
    }

    public void copy(String sourceKey, long length, ObjectTarget target) throws InterruptedException {
        if (length <= singleCopyLimit) {
            s3.copyObject(target.copyRequest(sourceKey));
            return;
        }
        multipartCopy(sourceKey, length, target);
    }

    private void multipartCopy(String sourceKey, long length, ObjectTarget target) throws InterruptedException {
        long rangeSize = Math.max(partSize, (length + MultipartUploadStream.MAX_PARTS - 1) / MultipartUploadStream.MAX_PARTS);
        String uploadId = s3.createMultipartUpload(target.createMultipartRequest()).uploadId();
        PartFutures parts = new PartFutures();
        try {
            int partNumber = 1;
            for (long first = 0; first < length; first += rangeSize, partNumber++) {
                String range = "bytes=" + first + "-" + (Math.min(length, first + rangeSize) - 1);
                int number = partNumber;
                parts.add(CompletableFuture.supplyAsync(() -> CompletedPart.builder().partNumber(number)
                        .eTag(s3.uploadPartCopy(b -> b
                                .sourceBucket(target.bucket()).sourceKey(sourceKey)
                                .destinationBucket(target.bucket()).destinationKey(target.key())
                                .uploadId(uploadId).partNumber(number)
                                .copySourceRange(range)).copyPartResult().eTag())
                        .build(), partWorkers));
            }
            List<CompletedPart> completed = parts.awaitAll();
            s3.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (RuntimeException | InterruptedException e) {
            try {
                parts.abortWhenSettled(s3, target, uploadId);
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }
}
