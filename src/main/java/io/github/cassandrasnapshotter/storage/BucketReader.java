package io.github.cassandrasnapshotter.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what backups left in a bucket. Listings page through the SDK's ListObjectsV2 paginator:
 * camel-aws2-s3's {@code listObjects} stops at 1,000 keys (CAMEL-NOTES.md).
 */
public final class BucketReader {
    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;

    public BucketReader(S3Client s3, String bucket, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
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
    public List<S3Object> objects(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        s3.listObjectsV2Paginator(request).forEach(page -> objects.addAll(page.contents()));
        return objects;
    }

    /** A small JSON object, or empty when there is no such key. */
    public <T> Optional<T> readJson(String key, Class<T> type) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(json.readValue(bytes.asByteArray(), type));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("s3://" + bucket + "/" + key + " is not readable JSON: " + e.getMessage(), e);
        }
    }
}
