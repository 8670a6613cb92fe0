package io.github.cassandrasnapshotter.camel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.retention.Purge;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Clock;

/** {@code purge} ({@code routes/purge.camel.yaml}). */
public final class PurgeBeans implements CamelConfiguration {
    private final S3Client s3;
    private final ObjectMapper json;

    PurgeBeans(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    @BindToRegistry("purge")
    public Purge purge() {
        return new Purge(s3, json, Clock.systemUTC());
    }
}
