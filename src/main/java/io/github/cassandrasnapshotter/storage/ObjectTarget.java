package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.crypto.ClientKeys;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.util.Map;

/**
 * One object to write, with the encryption and storage class every object of a run gets: every
 * request that creates an object starts here.
 *
 * @param clientKeys the run's client-side keys (null: none): a record written with {@link #put} is sealed with them
 * @param keyId      the client-side key a data object is encrypted under, recorded in its metadata; null: not encrypted
 */
public record ObjectTarget(String bucket, String key, ObjectEncryption encryption, String storageClass,
                           ClientKeys clientKeys, Long keyId) {
    /** User metadata ({@code x-amz-meta-...}) naming the client-side key of a data object. */
    public static final String KEY_ID_METADATA = "snapshotter-key-id";
    /** User metadata holding a record's seal: a MAC of its key and bytes under the key file's record keys. */
    public static final String SEAL_METADATA = "snapshotter-seal";

    public ObjectTarget {
        encryption = encryption == null ? ObjectEncryption.NONE : encryption;
    }

    public ObjectTarget(String bucket, String key, ObjectEncryption encryption, String storageClass) {
        this(bucket, key, encryption, storageClass, null, null);
    }

    public static ObjectTarget of(S3Settings settings, String key) {
        return new ObjectTarget(settings.bucket(), key, settings.encryption(), settings.storageClass(),
                settings.clientKeys(), null);
    }

    /** This target for a data object encrypted under {@code id} (null: not encrypted). */
    public ObjectTarget withKeyId(Long id) {
        return new ObjectTarget(bucket, key, encryption, storageClass, clientKeys, id);
    }

    /** Writes a small object (a record of a run), sealed when the run has client-side keys; the SDK's exceptions say what failed. */
    public void put(S3Client s3, byte[] content, String contentType) {
        s3.putObject(recordRequest(content).contentType(contentType).contentLength((long) content.length).build(),
                RequestBody.fromBytes(content));
    }

    /** A PUT of a record: with the run's client-side keys, its seal goes in the object's metadata. */
    PutObjectRequest.Builder recordRequest(byte[] content) {
        PutObjectRequest.Builder request = putRequest();
        if (clientKeys != null) {
            request.metadata(Map.of(SEAL_METADATA, clientKeys.seal(key, content)));
        }
        return request;
    }

    PutObjectRequest.Builder putRequest() {
        PutObjectRequest.Builder request = encryption.applyTo(PutObjectRequest.builder().bucket(bucket).key(key)
                .storageClass(storageClass));
        return keyId == null ? request : request.metadata(keyIdMetadata());
    }

    CreateMultipartUploadRequest createMultipartRequest() {
        CreateMultipartUploadRequest.Builder request = encryption.applyTo(CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(key).storageClass(storageClass));
        return (keyId == null ? request : request.metadata(keyIdMetadata())).build();
    }

    /** A copy of {@code sourceKey} in the same bucket to this target, with the source's metadata (its key id too). */
    CopyObjectRequest copyRequest(String sourceKey) {
        return encryption.applyTo(CopyObjectRequest.builder()
                .sourceBucket(bucket).sourceKey(sourceKey)
                .destinationBucket(bucket).destinationKey(key)
                .metadataDirective(MetadataDirective.COPY)
                .storageClass(storageClass)).build();
    }

    private Map<String, String> keyIdMetadata() {
        return Map.of(KEY_ID_METADATA, Long.toString(keyId));
    }

    @Override
    public String toString() {
        return "ObjectTarget[s3://" + bucket + "/" + key + ", sse=" + encryption + ", keyId=" + keyId + "]";
    }
}
