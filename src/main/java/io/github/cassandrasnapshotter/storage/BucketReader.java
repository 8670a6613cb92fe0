package io.github.cassandrasnapshotter.storage;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.manifest.CheckedRecord;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what backups left in a bucket. Listings page through the SDK's ListObjectsV2 paginator:
 * camel-aws2-s3's {@code listObjects} stops at 1,000 keys (docs/camel-notes.md, "camel-aws2-s3").
 */
public final class BucketReader {
    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;
    private final ClientKeys keys;

    public BucketReader(S3Client s3, String bucket, ObjectMapper json) {
        this(s3, bucket, json, null);
    }

    /**
     * @param keys client-side keys ({@code --encryption-key-file}): every JSON record read must then carry a
     *             seal made with them ({@link ObjectTarget#SEAL_METADATA}), else it is unreadable; null: none needed
     */
    public BucketReader(S3Client s3, String bucket, ObjectMapper json, ClientKeys keys) {
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
        this.keys = keys;
    }

    public String bucket() {
        return bucket;
    }

    /** The "folders" directly under {@code prefix} (each ends with '/'), every page of them. */
    public List<String> folders(String prefix) {
        List<String> folders = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter("/").build();
        s3.listObjectsV2Paginator(request).forEach(page -> {
            for (CommonPrefix folder : page.commonPrefixes()) {
                folders.add(folder.prefix());
            }
        });
        return folders;
    }

    /** Every object under {@code prefix}, every page of them. */
    /** The objects under a prefix, listed page by page as they are iterated: memory is one page. */
    public Iterable<S3Object> eachObject(String prefix) {
        return s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents();
    }

    public List<S3Object> objects(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        s3.listObjectsV2Paginator(request).forEach(page -> objects.addAll(page.contents()));
        return objects;
    }

    /**
     * A small JSON object, or empty when there is no such key.
     *
     * @throws UnreadableObjectException when the object is not JSON of that type, or is a
     *                                   {@link CheckedRecord} with a defect: it names the key
     */
    public <T> Optional<T> readJson(String key, Class<T> type) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        String location = "s3://" + bucket + "/" + key;
        RecordSeals.verify(keys, bucket, key, bytes.asByteArray(), bytes.response().metadata());
        T value;
        try {
            value = json.readValue(bytes.asByteArray(), type);
        } catch (JsonProcessingException e) {
            throw new UnreadableObjectException(location, "it is not valid JSON (" + describe(e) + ")");
        } catch (IOException e) {
            throw new UnreadableObjectException(location, "it could not be parsed (" + e.getMessage() + ")");
        }
        if (value == null) {
            throw new UnreadableObjectException(location, "it holds JSON null");
        }
        if (value instanceof CheckedRecord checked && checked.defect() != null) {
            throw new UnreadableObjectException(location, checked.defect());
        }
        return Optional.of(value);
    }

    /** Jackson's reason on one line, without the object's content, and where it stopped. */
    static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage() == null ? e.getClass().getSimpleName()
                : e.getOriginalMessage().lines().findFirst().orElse("").strip();
        StringBuilder text = new StringBuilder();
        reason.codePoints().limit(160).forEach(c -> text.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            text.append(" at line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
        }
        return text.toString();
    }
}
