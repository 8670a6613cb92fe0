package io.github.cassandrasnapshotter.storage;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.cassandrasnapshotter.crypto.ClientKeys;

/**
 * Where and how objects are written. The secret, the session token and the client-side keys travel only
 * inside the agent's job on stdin; {@link #toString()} never shows them.
 *
 * @param serverSideEncryption {@code --s3-ssenc}: SSE-S3 (AES256), unless a KMS key is given
 * @param sessionToken the session token of temporary credentials (AWS_SESSION_TOKEN), with the explicit keys; else null
 * @param sseKmsKeyId  {@code --s3-sse-kms-key-id}: SSE-KMS with this key (id, ARN or alias/NAME); else null
 * @param clientKeys   client-side encryption ({@code --encryption-key-file}): data objects are encrypted on the node
 *                     and the records restore trusts are sealed with these keys; null for none. A secret, like the
 *                     secret access key: it travels only in an agent's job on stdin.
 */
public record S3Settings(
        String bucket,
        String basePath,
        String region,
        String endpoint,
        String accessKeyId,
        String secretAccessKey,
        boolean serverSideEncryption,
        String storageClass,
        String sessionToken,
        String sseKmsKeyId,
        ClientKeys clientKeys) {

    public static final String DEFAULT_REGION = "us-east-1";

    public S3Settings {
        basePath = normalizeBasePath(basePath);
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        sessionToken = sessionToken == null || sessionToken.isBlank() ? null : sessionToken;
    }

    /** Without client-side encryption. */
    public S3Settings(String bucket, String basePath, String region, String endpoint, String accessKeyId,
                      String secretAccessKey, boolean serverSideEncryption, String storageClass, String sessionToken,
                      String sseKmsKeyId) {
        this(bucket, basePath, region, endpoint, accessKeyId, secretAccessKey, serverSideEncryption, storageClass,
                sessionToken, sseKmsKeyId, null);
    }

    /** Without a KMS key or client-side encryption. */
    public S3Settings(String bucket, String basePath, String region, String endpoint, String accessKeyId,
                      String secretAccessKey, boolean serverSideEncryption, String storageClass, String sessionToken) {
        this(bucket, basePath, region, endpoint, accessKeyId, secretAccessKey, serverSideEncryption, storageClass,
                sessionToken, null, null);
    }

    /** Long-term keys, or none (the default AWS chain). */
    public S3Settings(String bucket, String basePath, String region, String endpoint, String accessKeyId,
                      String secretAccessKey, boolean serverSideEncryption, String storageClass) {
        this(bucket, basePath, region, endpoint, accessKeyId, secretAccessKey, serverSideEncryption, storageClass, null);
    }

    /** What every object written gets: a KMS key wins over {@code --s3-ssenc}. */
    @JsonIgnore
    public ObjectEncryption encryption() {
        return ObjectEncryption.of(serverSideEncryption, sseKmsKeyId);
    }

    /** Whether data objects are encrypted on the node and records sealed ({@code --encryption-key-file}). */
    @JsonIgnore
    public boolean clientSideEncryption() {
        return clientKeys != null;
    }

    @JsonIgnore
    public boolean hasExplicitKeys() {
        return accessKeyId != null && secretAccessKey != null;
    }

    /** The base path as the old tool used it: no leading or trailing slash. */
    static String normalizeBasePath(String basePath) {
        if (basePath == null) {
            return "";
        }
        String trimmed = basePath.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", basePath=" + basePath + ", region=" + region
                + ", endpoint=" + endpoint + ", explicitKeys=" + hasExplicitKeys() + ", sessionToken=" + (sessionToken != null)
                + ", sse=" + encryption() + ", storageClass=" + storageClass
                + ", clientKeys=" + (clientKeys == null ? "none" : clientKeys.keyIds()) + "]";
    }
}
