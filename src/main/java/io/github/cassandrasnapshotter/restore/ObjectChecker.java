package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.agent.RestoreFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code verify} without {@code --deep}: every object a snapshot's manifests name exists with the
 * recorded stored size, checked against one listing of the snapshot's folder (no request per object).
 */
public final class ObjectChecker {
    private final S3Client s3;
    private final ObjectMapper json;

    public ObjectChecker(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    public RestoreOutcome check(RestorePlan plan) {
        BucketReader bucket = new BucketReader(s3, plan.request().s3().bucket(), json);
        Map<String, Long> sizes = new HashMap<>();
        for (S3Object object : bucket.objects(new StorageKeys(plan.request().s3().basePath()).snapshotPrefix(plan.snapshot()))) {
            sizes.put(object.key(), object.size());
        }
        RestoreOutcome outcome = new RestoreOutcome();
        String where = "s3://" + bucket.bucket() + "/";
        for (RestoreFile file : plan.files()) {
            Long size = sizes.get(file.key());
            if (size == null) {
                outcome.add(DownloadResult.failed(file, where + file.key() + " is missing from the store"));
            } else if (size != file.storedSize()) {
                outcome.add(DownloadResult.failed(file, where + file.key() + " has " + size
                        + " bytes where the manifest records " + file.storedSize()));
            } else {
                outcome.add(new DownloadResult(file, DownloadResult.Status.ALREADY_PRESENT, size, null));
            }
        }
        return outcome;
    }
}
