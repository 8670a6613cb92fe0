package io.github.cassandrasnapshotter.storage;

import java.nio.charset.StandardCharsets;

/** A small metadata object (manifest, ring, schema) for the {@code put-object} route. */
public record StorageObject(String key, byte[] content, String contentType) {

    public static StorageObject json(String key, byte[] content) {
        return new StorageObject(key, content, "application/json");
    }

    public long contentLength() {
        return content.length;
    }

    public static StorageObject text(String key, String content) {
        return new StorageObject(key, content.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }
}
