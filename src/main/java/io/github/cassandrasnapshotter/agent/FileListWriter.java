package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stores this host's file list of the run, {@code _runs/<run-id>/<host>.json}, from the node itself: the
 * durable record that names every object the run stored here, written before any link is removed, so
 * that a coordinator that dies (or a PUT of its own that fails) loses nothing. Restore and later runs
 * read it whether or not the run's summary was written.
 */
final class FileListWriter {
    private final S3Client s3;
    private final S3Settings settings;
    private final ObjectMapper json;

    FileListWriter(S3Client s3, S3Settings settings, ObjectMapper json) {
        this.s3 = s3;
        this.settings = settings;
        this.json = json;
    }

    /** Writes the list, tried {@value FileUploader#MAX_ATTEMPTS} times; returns its key. */
    String write(HostFileManifest list, AgentStop stop) throws InterruptedException, UploadException {
        String key = new StorageKeys(settings.basePath()).runHostKey(list.snapshot(), list.runId(), list.host());
        byte[] content;
        try {
            content = json.writeValueAsBytes(list);
        } catch (JsonProcessingException e) {
            throw new UploadException("cannot write the file list " + key + ": " + e.getOriginalMessage(), false, e);
        }
        SdkException last = null;
        for (int attempt = 1; attempt <= FileUploader.MAX_ATTEMPTS; attempt++) {
            try {
                ObjectTarget.of(settings, key).put(s3, content, "application/json");
                return key;
            } catch (SdkException e) {
                last = e;
            }
            if (attempt < FileUploader.MAX_ATTEMPTS && !stop.requested()) {
                Thread.sleep(FileUploader.waitBefore(attempt + 1).toMillis());
            }
        }
        throw new UploadException("the file list " + key + " was not stored: " + last.getMessage(), true, last);
    }
}
