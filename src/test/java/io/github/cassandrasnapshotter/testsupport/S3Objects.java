package io.github.cassandrasnapshotter.testsupport;

import io.github.cassandrasnapshotter.compress.Compression;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/** Reads back what a test run wrote to the bucket. */
public final class S3Objects {
    private final S3Client s3;
    private final String bucket;

    public S3Objects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                .contents().stream().map(S3Object::key).sorted().toList();
    }

    /** The snapshot folders under a base path, oldest first (not _status/ and other folders). */
    public TreeSet<String> snapshots(String basePath) {
        TreeSet<String> names = new TreeSet<>();
        keys(basePath + "/").forEach(k -> names.add(k.substring(basePath.length() + 1).split("/")[0]));
        names.removeIf(name -> !name.matches("\\d{14}"));
        return names;
    }

    public String text(String key) {
        return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build())
                .asString(StandardCharsets.UTF_8);
    }

    /** SHA-256 of the object's content after decompression, streamed. */
    public String decompressedSha256(String key) {
        try (ResponseInputStream<GetObjectResponse> object =
                     s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
             InputStream in = io.github.cassandrasnapshotter.storage.StorageKeys.compressionOf(key).decompressing(object)) {
            return sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
                digesting.transferTo(java.io.OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
