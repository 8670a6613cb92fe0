package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The server-side encryption every object of a run is written with: none, SSE-S3 ({@code AES256},
 * {@code --s3-ssenc}) or SSE-KMS with a key ({@code aws:kms}, {@code --s3-sse-kms-key-id}). The one
 * place that puts it on a request that creates an object: a PUT, a multipart upload, a copy (S3 does
 * not carry a source's encryption over to a copy: each must state it).
 *
 * @param kind     null for none
 * @param kmsKeyId the key of SSE-KMS (id, ARN or alias/NAME), else null
 */
public record ObjectEncryption(ServerSideEncryption kind, String kmsKeyId) {
    public static final ObjectEncryption NONE = new ObjectEncryption(null, null);
    public static final ObjectEncryption AES256 = new ObjectEncryption(ServerSideEncryption.AES256, null);

    public ObjectEncryption {
        if (kmsKeyId != null && kind != ServerSideEncryption.AWS_KMS) {
            throw new IllegalArgumentException("a KMS key id goes with aws:kms only");
        }
    }

    /** A KMS key wins over {@code --s3-ssenc}: it says which server-side encryption. */
    public static ObjectEncryption of(boolean serverSideEncryption, String kmsKeyId) {
        if (kmsKeyId != null) {
            return new ObjectEncryption(ServerSideEncryption.AWS_KMS, kmsKeyId);
        }
        return serverSideEncryption ? AES256 : NONE;
    }

    /**
     * Whether an object stored with this server-side encryption ({@code kind} as HEAD reports it, null for
     * none, and its KMS key as reported, an ARN) is encrypted at least as this asks: anything for none; SSE-S3
     * or SSE-KMS for SSE-S3; SSE-KMS under this key (its id or ARN; an alias never matches the key ARN a HEAD
     * reports) for SSE-KMS.
     */
    public boolean satisfiedBy(ServerSideEncryption stored, String storedKmsKeyId) {
        if (this.kind == null) {
            return true;
        }
        if (this.kind == ServerSideEncryption.AES256) {
            return stored == ServerSideEncryption.AES256 || stored == ServerSideEncryption.AWS_KMS
                    || stored == ServerSideEncryption.AWS_KMS_DSSE;
        }
        boolean kms = stored == ServerSideEncryption.AWS_KMS || stored == ServerSideEncryption.AWS_KMS_DSSE;
        if (kmsKeyId == null) {
            return kms; // SSE-KMS under the account's default key: any KMS key will do
        }
        return kms && storedKmsKeyId != null
                && (storedKmsKeyId.equals(kmsKeyId) || storedKmsKeyId.endsWith("/" + kmsKeyId));
    }

    PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
        return request.serverSideEncryption(kind).ssekmsKeyId(kmsKeyId);
    }

    CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
        return request.serverSideEncryption(kind).ssekmsKeyId(kmsKeyId);
    }

    CopyObjectRequest.Builder applyTo(CopyObjectRequest.Builder request) {
        return request.serverSideEncryption(kind).ssekmsKeyId(kmsKeyId);
    }

    @Override
    public String toString() {
        return kind == null ? "none" : kmsKeyId == null ? kind.toString() : kind + " with key " + kmsKeyId;
    }
}
