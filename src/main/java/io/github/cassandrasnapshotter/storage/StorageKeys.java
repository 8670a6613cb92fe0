package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.compress.Compression;

/**
 * The object key layout shared with cassandra_snapshotter 1.x (DESIGN.md, "Storage layout").
 * Our own metadata sits under {@code _runs/}, a name no host can take.
 */
public final class StorageKeys {
    public static final String MANIFEST = "manifest.json";
    public static final String RING = "ring";
    public static final String RUNS = "_runs";

    private final String basePath;

    public StorageKeys(String basePath) {
        this.basePath = S3Settings.normalizeBasePath(basePath);
    }

    public String basePrefix() {
        return basePath.isEmpty() ? "" : basePath + "/";
    }

    public String snapshotPrefix(String snapshot) {
        return basePrefix() + snapshot + "/";
    }

    /** {@code <base>/<snapshot>/<host><absolute path>[.lzo]}, as the old tool 1.2.0 wrote it. */
    public String dataKey(String snapshot, String host, String absolutePath, Compression compression) {
        if (!absolutePath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolutePath);
        }
        return snapshotPrefix(snapshot) + host + absolutePath + compression.keySuffix();
    }

    public String manifestKey(String snapshot) {
        return snapshotPrefix(snapshot) + MANIFEST;
    }

    public String ringKey(String snapshot) {
        return snapshotPrefix(snapshot) + RING;
    }

    public String schemaKey(String snapshot, String keyspace) {
        return snapshotPrefix(snapshot) + (keyspace == null ? "schema.cql" : "schema_" + keyspace + ".cql");
    }

    public String runHostKey(String snapshot, String runId, String host) {
        return snapshotPrefix(snapshot) + RUNS + "/" + runId + "/" + host + ".json";
    }

    public String runSummaryKey(String snapshot, String runId) {
        return snapshotPrefix(snapshot) + RUNS + "/" + runId + "/summary.json";
    }
}
