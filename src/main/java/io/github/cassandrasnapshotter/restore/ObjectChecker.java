package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.agent.RestoreFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code verify} without {@code --deep}: every object a snapshot's file lists name exists with the
 * recorded stored size, checked against one listing of each host folder they name (no request per
 * object): the snapshot's own, and those of earlier snapshots whose objects it refers to. Only the
 * sizes of named keys are kept.
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
        StorageKeys keys = new StorageKeys(plan.request().s3().basePath());
        Set<String> named = new HashSet<>();
        Set<String> folders = new TreeSet<>();
        for (RestoreFile file : plan.files()) {
            named.add(file.key());
            // Every key a plan holds is a host folder's (RestorePlanner refuses others; the old tool's <host>//
            // keys have one too): the snapshot's own folder is only the safe side for a key that has none.
            folders.add(keys.hostFolder(file.key()).orElse(keys.snapshotPrefix(plan.snapshot())));
        }
        Map<String, Long> sizes = new HashMap<>();
        for (String folder : folders) {
            for (S3Object object : bucket.objects(folder)) {
                if (named.contains(object.key())) {
                    sizes.put(object.key(), object.size());
                }
            }
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
