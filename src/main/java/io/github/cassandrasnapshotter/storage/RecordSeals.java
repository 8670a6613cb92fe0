package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.crypto.ClientKeys;

import java.util.Map;

/**
 * The check every reader of a record makes when a key file is given: the record's seal
 * ({@link ObjectTarget#SEAL_METADATA}) must be a MAC of its key and bytes under the file's record keys.
 * A record without one, or sealed by other keys, is the operator's input (another key file, or none);
 * one whose seal does not match was changed in the bucket.
 */
final class RecordSeals {
    private RecordSeals() {
    }

    /** @throws UnreadableObjectException naming {@code s3://bucket/key} unless the seal holds; nothing when keys is null */
    static void verify(ClientKeys keys, String bucket, String key, byte[] content, Map<String, String> metadata) {
        if (keys == null) {
            return;
        }
        String location = "s3://" + bucket + "/" + key;
        switch (keys.check(key, content, metadata.get(ObjectTarget.SEAL_METADATA))) {
            case MISSING -> throw new UnreadableObjectException(location, "it has no seal: it was written without "
                    + "--encryption-key-file, or its seal was removed", true);
            case OTHER_KEY -> throw new UnreadableObjectException(location, "it is sealed by a key the key file does "
                    + "not hold (another key file)", true);
            case INVALID -> throw new UnreadableObjectException(location, "its seal does not match its content: it "
                    + "was changed after it was written");
            case VALID -> {
            }
        }
    }
}
