package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.validate.SnapshotName;

/**
 * The object key layout shared with cassandra_snapshotter 1.x (docs/design.md, "Storage layout").
 * Our own metadata sits under {@code _runs/}, a name no host can take.
 */
public final class StorageKeys {
    public static final String MANIFEST = "manifest.json";
    public static final String RING = "ring";
    public static final String RUNS = "_runs";
    public static final String RUN_SUMMARY = "summary.json";
    public static final String STATUS = "_status";
    public static final String LAST_RUN = "last-run.json";
    public static final String LAST_COMPLETE = "last-complete.json";
    public static final String CATALOG = "catalog.json";
    public static final String LAST_PURGE = "last-purge.json";
    /** {@code <snapshot>/_runs/purged.json}: the snapshot was purged; its folder holds only objects newer snapshots name. */
    public static final String PURGED = "purged.json";
    /** Ends the key of a data object encrypted on the node. */
    public static final String ENCRYPTED_SUFFIX = ".enc";

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
        return dataKey(snapshot, host, absolutePath, compression, false);
    }

    /**
     * As the old tool wrote it, with {@value #ENCRYPTED_SUFFIX} after the compression suffix for an object
     * encrypted on the node ({@code --encryption-key-file}), so that nothing takes it for an lzop file.
     */
    public String dataKey(String snapshot, String host, String absolutePath, Compression compression, boolean encrypted) {
        if (!absolutePath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolutePath);
        }
        return snapshotPrefix(snapshot) + host + absolutePath + compression.keySuffix() + (encrypted ? ENCRYPTED_SUFFIX : "");
    }

    /**
     * Which format an object is in, from its key: keys written by us or the old tool end in .lzo when
     * compressed, then {@value #ENCRYPTED_SUFFIX} when encrypted on the node.
     */
    public static Compression compressionOf(String key) {
        String stored = key.endsWith(ENCRYPTED_SUFFIX) ? key.substring(0, key.length() - ENCRYPTED_SUFFIX.length()) : key;
        return stored.endsWith(Compression.LZO.keySuffix()) ? Compression.LZO : Compression.NONE;
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
        return snapshotPrefix(snapshot) + RUNS + "/" + runId + "/" + RUN_SUMMARY;
    }

    /** The tombstone of a purged snapshot whose folder still holds objects that kept snapshots' file lists name. */
    public String purgedKey(String snapshot) {
        return snapshotPrefix(snapshot) + RUNS + "/" + PURGED;
    }

    /** {@code <base>/_status/<name>}: what monitoring reads, next to the snapshot folders. */
    public String statusKey(String name) {
        return basePrefix() + STATUS + "/" + name;
    }

    /** The schema of an incremental run, kept beside its file lists. */
    public String runSchemaKey(String snapshot, String runId, String keyspace) {
        return snapshotPrefix(snapshot) + RUNS + "/" + runId + "/"
                + (keyspace == null ? "schema.cql" : "schema_" + keyspace + ".cql");
    }

    /**
     * Whether {@code key} is a data object of {@code host} in a snapshot folder of this base path,
     * {@code <base>/<snapshot>/<host>/...}: where a file list may name an object, its own snapshot's or an
     * earlier one's (a reference). Any other key in a list read from the bucket is refused.
     */
    public boolean isHostDataKey(String key, String host) {
        return hostFolder(key).map(folder -> folder.endsWith("/" + host + "/")).orElse(false);
    }

    /** {@code <base>/<snapshot>/<host>/} of a data key of this base path; empty for any other key. */
    public java.util.Optional<String> hostFolder(String key) {
        String base = basePrefix();
        // A gateway that normalises paths would read "/../" elsewhere; no key of ours holds one, nor a control character.
        if (!key.startsWith(base) || key.contains("/./") || key.contains("/../") || key.endsWith("/..")
                || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return java.util.Optional.empty();
        }
        int snapshotEnd = key.indexOf('/', base.length());
        if (snapshotEnd < 0 || !SnapshotName.isName(key.substring(base.length(), snapshotEnd))) {
            return java.util.Optional.empty();
        }
        int hostEnd = key.indexOf('/', snapshotEnd + 1);
        if (hostEnd <= snapshotEnd + 1 || key.substring(snapshotEnd + 1, hostEnd).equals(RUNS)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(key.substring(0, hostEnd + 1));
    }

    /** A data file's object, as opposed to the metadata next to it (manifest, ring, schema, runs). */
    public boolean isDataKey(String snapshot, String key) {
        String prefix = snapshotPrefix(snapshot);
        if (!key.startsWith(prefix)) {
            return false;
        }
        String rest = key.substring(prefix.length());
        // Metadata sits directly in the snapshot folder or under _runs/; data under <host>/...
        return rest.indexOf('/') > 0 && !rest.startsWith(RUNS + "/");
    }
}
