package io.github.cassandrasnapshotter.retention;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code _status/purge.json}: the snapshots a purge has begun to delete, written before the first
 * delete and removed once all of them are gone. A purge that stops halfway leaves it, and the next
 * purge finishes those snapshots first, whatever its own rules say: their manifests may already be
 * gone, so they can no longer be restored as complete.
 */
record PurgeRecord(@JsonProperty("format") String format, @JsonProperty("started") String started,
                   @JsonProperty("snapshots") List<String> snapshots) {
    static final String KEY = "purge.json";
    static final String FORMAT = "cassandra-snapshotter/purge-1";
}
