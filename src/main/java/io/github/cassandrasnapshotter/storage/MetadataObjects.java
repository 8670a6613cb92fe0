package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.Optional;

/**
 * Small metadata objects that two runs might both write (manifest.json), read with their ETag and written
 * with S3's conditional writes, with the run's encryption and storage class.
 */
public final class MetadataObjects {
    /** An object as read, with the ETag a conditional rewrite names. */
    public record Versioned(byte[] content, String etag) {
    }

    private final S3Client s3;

    public MetadataObjects(S3Client s3) {
        this.s3 = s3;
    }

    /** @throws UnreadableObjectException with the run's key file, when the object's seal does not hold: it is never rewritten */
    public Optional<Versioned> read(S3Settings settings, String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(key));
            RecordSeals.verify(settings.clientKeys(), settings.bucket(), key, bytes.asByteArray(), bytes.response().metadata());
            return Optional.of(new Versioned(bytes.asByteArray(), bytes.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public void put(S3Settings settings, StorageObject object) {
        write(settings, object, ObjectTarget.of(settings, object.key()).recordRequest(object.content()));
    }

    /** Writes only if there is no such object (If-None-Match: *). */
    public void create(S3Settings settings, StorageObject object) {
        write(settings, object, ObjectTarget.of(settings, object.key()).recordRequest(object.content()).ifNoneMatch("*"));
    }

    /** Writes only if the object still has {@code etag} (If-Match). */
    public void replace(S3Settings settings, StorageObject object, String etag) {
        write(settings, object, ObjectTarget.of(settings, object.key()).recordRequest(object.content()).ifMatch(etag));
    }

    private void write(S3Settings settings, StorageObject object, PutObjectRequest.Builder request) {
        try {
            s3.putObject(request.contentType(object.contentType()).build(), RequestBody.fromBytes(object.content()));
        } catch (S3Exception e) {
            // 412 Precondition Failed; 409 ConditionalRequestConflict when another write to the key is in progress.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new ConditionFailedException("s3://" + settings.bucket() + "/" + object.key()
                        + " was written by someone else since it was read (" + e.statusCode() + ")");
            }
            throw e;
        }
    }
}
