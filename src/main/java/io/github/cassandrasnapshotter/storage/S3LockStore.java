package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The lock object in an S3 bucket, with S3's conditional writes and its {@code Date} and {@code Last-Modified}. */
public final class S3LockStore implements LockStore {
    private final S3Client s3;
    private final ObjectTarget target;

    public S3LockStore(S3Client s3, ObjectTarget target) {
        this.s3 = s3;
        this.target = target;
    }

    @Override
    public String location() {
        return "s3://" + target.bucket() + "/" + target.key();
    }

    @Override
    public Optional<Stored> read() {
        ResponseBytes<GetObjectResponse> current;
        try {
            current = s3.getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.key()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        GetObjectResponse response = current.response();
        Instant lastModified = response.lastModified();
        return Optional.of(new Stored(current.asByteArray(), response.eTag(), lastModified,
                storeTime(response.sdkHttpResponse(), lastModified)));
    }

    @Override
    public Written create(byte[] content) {
        return put(content, target.putRequest().ifNoneMatch("*"));
    }

    @Override
    public Written replace(byte[] content, String etag) {
        return put(content, target.putRequest().ifMatch(etag));
    }

    @Override
    public void delete(String etag) {
        try {
            s3.deleteObject(b -> b.bucket(target.bucket()).key(target.key()).ifMatch(etag));
        } catch (NoSuchKeyException gone) {
            // nothing to release
        } catch (S3Exception e) {
            throw refused(e, "delete");
        }
    }

    private Written put(byte[] content, PutObjectRequest.Builder request) {
        try {
            PutObjectResponse response = s3.putObject(request.contentType("application/json").build(),
                    RequestBody.fromBytes(content));
            return new Written(response.eTag(), storeTime(response.sdkHttpResponse(), null));
        } catch (S3Exception e) {
            throw refused(e, "write");
        }
    }

    private RuntimeException refused(S3Exception e, String what) {
        // 412 Precondition Failed; S3 answers 409 ConditionalRequestConflict to a write racing another on the same key.
        if (e.statusCode() == 412 || e.statusCode() == 409) {
            return new ConditionFailedException("the store refused the conditional " + what + " of " + location()
                    + " (" + e.statusCode() + ": another writer changed it)");
        }
        return e;
    }

    /**
     * The store's clock at its answer: the HTTP {@code Date} header every S3 answer carries. A store
     * that sends none is judged by the object's own Last-Modified (the lock then looks as young as possible:
     * a lock is never taken over by the clock of this machine). The one place the store's clock is read.
     */
    public static Instant storeTime(SdkHttpResponse response, Instant fallback) {
        Optional<String> date = response == null ? Optional.empty() : response.firstMatchingHeader("Date");
        if (date.isPresent()) {
            try {
                return ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        return fallback;
    }
}
