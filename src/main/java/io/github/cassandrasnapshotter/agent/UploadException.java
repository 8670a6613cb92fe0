package io.github.cassandrasnapshotter.agent;

import java.io.IOException;

/** A file's upload failed; {@link #retriable()} says whether trying it again can help. */
public class UploadException extends IOException {
    private final boolean retriable;

    public UploadException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
