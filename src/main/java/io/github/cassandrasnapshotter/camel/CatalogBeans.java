package io.github.cassandrasnapshotter.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.catalog.BackupLister;
import io.github.cassandrasnapshotter.catalog.StatusReader;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code list} and {@code status} ({@code routes/list.camel.yaml}). */
public final class CatalogBeans implements CamelConfiguration {
    private final S3Client s3;
    private final ObjectMapper json;

    CatalogBeans(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    @BindToRegistry("backupLister")
    public BackupLister backupLister() {
        return new BackupLister(s3, json);
    }

    @BindToRegistry("statusReader")
    public StatusReader statusReader() {
        return new StatusReader(s3, json);
    }
}
