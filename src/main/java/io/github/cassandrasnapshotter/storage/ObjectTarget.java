package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * One object to write, with the encryption and storage class every object of a run gets: every
 * request that creates an object starts here.
 */
public record ObjectTarget(String bucket, String key, ObjectEncryption encryption, String storageClass) {

    public ObjectTarget {
        encryption = encryption == null ? ObjectEncryption.NONE : encryption;
    }

    public static ObjectTarget of(S3Settings settings, String key) {
        return new ObjectTarget(settings.bucket(), key, settings.encryption(), settings.storageClass());
    }

    /** Writes a small object (a record of a run) with one PUT; the SDK's exceptions say what failed. */
    public void put(S3Client s3, byte[] content, String contentType) {
        s3.putObject(putRequest().contentType(contentType).contentLength((long) content.length).build(),
                RequestBody.fromBytes(content));
    }

    PutObjectRequest.Builder putRequest() {
        return encryption.applyTo(PutObjectRequest.builder().bucket(bucket).key(key).storageClass(storageClass));
    }

    CreateMultipartUploadRequest createMultipartRequest() {
        return encryption.applyTo(CreateMultipartUploadRequest.builder().bucket(bucket).key(key).storageClass(storageClass))
                .build();
    }

    /** A copy of {@code sourceKey} in the same bucket to this target, with the source's metadata. */
    CopyObjectRequest copyRequest(String sourceKey) {
        return encryption.applyTo(CopyObjectRequest.builder()
                .sourceBucket(bucket).sourceKey(sourceKey)
                .destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.COPY)
                .storageClass(storageClass)).build();
    }
}
