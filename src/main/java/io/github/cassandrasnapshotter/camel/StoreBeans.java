package io.github.cassandrasnapshotter.camel;

import io.github.cassandrasnapshotter.storage.MetadataObjects;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import software.amazon.awssdk.services.s3.S3Client;

/** The beans every group's routes use: the store, its metadata writer, and where a message's request comes from. */
public final class StoreBeans implements CamelConfiguration {
    private final S3Client s3;
    private final MetadataObjects metadata;
    private final SnapshotterRequests requests;

    StoreBeans(S3Client s3, MetadataObjects metadata, SnapshotterRequests requests) {
        this.s3 = s3;
        this.metadata = metadata;
        this.requests = requests;
    }

    @BindToRegistry("snapshotterS3Client")
    public S3Client s3() {
        return s3;
    }

    /** The node routes' {@code snapshotter-put-object} and the backup's fenced writes go through it. */
    @BindToRegistry("metadataObjects")
    public MetadataObjects metadataObjects() {
        return metadata;
    }

    /** The first step of every entry route. */
    @BindToRegistry("snapshotterRequests")
    public SnapshotterRequests snapshotterRequests() {
        return requests;
    }
}
