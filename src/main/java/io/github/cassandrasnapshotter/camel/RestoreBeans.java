package io.github.cassandrasnapshotter.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.restore.DownloadResultAggregator;
import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.restore.HostRestoreAggregator;
import io.github.cassandrasnapshotter.restore.InPlaceImport;
import io.github.cassandrasnapshotter.restore.ObjectChecker;
import io.github.cassandrasnapshotter.restore.RestorePlanner;
import io.github.cassandrasnapshotter.restore.SstableLoader;
import io.github.cassandrasnapshotter.storage.S3Settings;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

/** The restore and verify routes' beans ({@code restore} and {@code restore-in-place} route files). */
public final class RestoreBeans implements CamelConfiguration {
    private final S3Client s3;
    private final ObjectMapper json;
    private final ProgressReporter progress;
    private final S3Settings settings;

    RestoreBeans(S3Client s3, ObjectMapper json, ProgressReporter progress, S3Settings settings) {
        this.s3 = s3;
        this.json = json;
        this.progress = progress;
        this.settings = settings;
    }

    @BindToRegistry("restorePlanner")
    public RestorePlanner restorePlanner() {
        return new RestorePlanner(s3, json);
    }

    /** Reads from the settings' bucket, with its client-side keys. */
    @BindToRegistry("fileDownloader")
    public FileDownloader fileDownloader() {
        return new FileDownloader(s3, settings.bucket(), settings.clientKeys(), progress);
    }

    @BindToRegistry("objectChecker")
    public ObjectChecker objectChecker() {
        return new ObjectChecker(s3, json);
    }

    @BindToRegistry("downloadResultAggregator")
    public DownloadResultAggregator downloadResultAggregator() {
        return new DownloadResultAggregator();
    }

    @BindToRegistry("sstableLoader")
    public SstableLoader sstableLoader() {
        return new SstableLoader(progress);
    }

    @BindToRegistry("hostRestoreAggregator")
    public HostRestoreAggregator hostRestoreAggregator() {
        return new HostRestoreAggregator();
    }

    @BindToRegistry("inPlaceImport")
    public InPlaceImport inPlaceImport() {
        return new InPlaceImport();
    }
}
