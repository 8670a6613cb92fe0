package io.github.cassandrasnapshotter.catalog;

import io.github.cassandrasnapshotter.manifest.PurgeReport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.manifest.BackupStatus;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Optional;

/** The {@code snapshotter-status} route's bean: the last run and the last complete backup of a base path. */
public final class StatusReader {
    /** What {@code status} reports; each may be absent. */
    public record Report(Optional<BackupStatus> lastComplete, Optional<BackupStatus> lastRun,
                         Optional<PurgeReport> lastPurge) {
    }

    private final S3Client s3;
    private final ObjectMapper json;

    public StatusReader(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    public Report read(S3Settings settings) {
        BucketReader bucket = new BucketReader(s3, settings.bucket(), json);
        StorageKeys keys = new StorageKeys(settings.basePath());
        return new Report(bucket.readJson(keys.statusKey(StorageKeys.LAST_COMPLETE), BackupStatus.class),
                bucket.readJson(keys.statusKey(StorageKeys.LAST_RUN), BackupStatus.class),
                lastPurge(bucket, keys));
    }

    /** The last purge's report; one that cannot be read is reported as none (status is about backups). */
    private static Optional<PurgeReport> lastPurge(BucketReader bucket, StorageKeys keys) {
        try {
            return bucket.readJson(keys.statusKey(StorageKeys.LAST_PURGE), PurgeReport.class);
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
