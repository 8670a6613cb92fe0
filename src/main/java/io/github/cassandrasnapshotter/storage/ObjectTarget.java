package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** One object to write, with the encryption and storage class every object of a run gets. */
public record ObjectTarget(String bucket, String key, boolean serverSideEncryption, String storageClass) {

    public static ObjectTarget of(S3Settings settings, String key) {
        return new ObjectTarget(settings.bucket(), key, settings.serverSideEncryption(), settings.storageClass());
    }

    /** Writes a small object (a record of a run) with one PUT; the SDK's exceptions say what failed. */
    public void put(S3Client s3, byte[] content, String contentType) {
        s3.putObject(putRequest().contentType(contentType).contentLength((long) content.length).build(),
                RequestBody.fromBytes(content));
    }

    PutObjectRequest.Builder putRequest() {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key);
        if (serverSideEncryption) {
            request.serverSideEncryption(ServerSideEncryption.AES256);
        }
        if (storageClass != null) {
            request.storageClass(storageClass);
        }
        return request;
    }

    CreateMultipartUploadRequest createMultipartRequest() {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(key);
        if (serverSideEncryption) {
            request.serverSideEncryption(ServerSideEncryption.AES256);
        }
        if (storageClass != null) {
            request.storageClass(storageClass);
        }
        return request.build();
    }
}
