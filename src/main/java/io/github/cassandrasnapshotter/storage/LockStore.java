package io.github.cassandrasnapshotter.storage;

import java.time.Instant;
import java.util.Optional;

/**
 * The one object a {@link RunLock} lives in, with the store's conditional writes. Every answer carries
 * the store's own clock, by which the lock's expiry is judged (never by the clock of this machine).
 */
public interface LockStore {

    /** The lock object as stored: its ETag, when the store last wrote it, and the store's time of this answer. */
    record Stored(byte[] content, String etag, Instant lastModified, Instant storeNow) {
    }

    /** What the store said to a write: the object's new ETag, and the store's time of the answer. */
    record Written(String etag, Instant storeNow) {
    }

    /** Where the lock lives, for messages: {@code s3://bucket/key}. */
    String location();

    Optional<Stored> read();

    /** Writes the lock only if there is none (If-None-Match: *); {@link ConditionFailedException} if there is. */
    Written create(byte[] content);

    /** Writes the lock only if it still has {@code etag} (If-Match); {@link ConditionFailedException} if not. */
    Written replace(byte[] content, String etag);

    /** Removes the lock only if it still has {@code etag} (If-Match); {@link ConditionFailedException} if not. */
    void delete(String etag);
}
