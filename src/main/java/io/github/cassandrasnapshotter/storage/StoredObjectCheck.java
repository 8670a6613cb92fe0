package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * Whether an object an earlier backup stored may be named by this run's file list instead of being
 * copied: one HEAD, before the list names it. It must exist with the stored size its list recorded (so
 * it is the object that list confirmed, not something written over it), and be encrypted in the store
 * at least as this run writes its own objects. Anything else is said as the way to store the file instead.
 */
public final class StoredObjectCheck {
    /** What to do with a file whose earlier object cannot be named. */
    public enum Instead {
        /** The object is there but encrypted otherwise: a copy gets this run's encryption. */
        COPY,
        /** The object is gone, or not what its list says: the file is sent again. */
        UPLOAD
    }

    /** The outcome: {@code instead} null when the object may be named; else what to do and why. */
    public record Result(Instead instead, String reason) {
        public boolean referable() {
            return instead == null;
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final ObjectEncryption encryption;

    public StoredObjectCheck(S3Client s3, String bucket, ObjectEncryption encryption) {
        this.s3 = s3;
        this.bucket = bucket;
        this.encryption = encryption;
    }

    public Result check(String key, long storedSize) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return new Result(Instead.UPLOAD, "s3://" + bucket + "/" + key + " is gone");
        } catch (S3Exception e) {
            return new Result(Instead.UPLOAD, "s3://" + bucket + "/" + key + " cannot be checked (HTTP "
                    + e.statusCode() + (e.statusCode() == 404 ? ", not found" : "") + ")");
        } catch (SdkException e) {
            return new Result(Instead.UPLOAD, "s3://" + bucket + "/" + key + " cannot be checked: " + e.getMessage());
        }
        if (head.contentLength() == null || head.contentLength() != storedSize) {
            return new Result(Instead.UPLOAD, "s3://" + bucket + "/" + key + " has " + head.contentLength()
                    + " bytes where its file list records " + storedSize);
        }
        if (head.archiveStatus() != null || head.storageClass() == StorageClass.GLACIER
                || head.storageClass() == StorageClass.DEEP_ARCHIVE) {
            // a restore cannot read it without restoring it from the archive first
            return new Result(Instead.UPLOAD, "s3://" + bucket + "/" + key + " is archived ("
                    + (head.archiveStatus() != null ? head.archiveStatusAsString() : head.storageClassAsString()) + ")");
        }
        if (!encryption.satisfiedBy(head.serverSideEncryption(), head.ssekmsKeyId())) {
            return new Result(Instead.COPY, "s3://" + bucket + "/" + key + " is stored with server-side encryption "
                    + (head.serverSideEncryption() == null ? "none" : head.serverSideEncryption().toString())
                    + " where this run writes " + encryption);
        }
        return new Result(null, null);
    }
}
