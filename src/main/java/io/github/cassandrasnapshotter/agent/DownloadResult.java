package io.github.cassandrasnapshotter.agent;


/** What happened to one file of a restore or a deep verify. */
public record DownloadResult(RestoreFile file, Status status, long bytes, String error) {

    public enum Status {
        /** Fetched, decompressed and (when a checksum is recorded) checked. */
        DOWNLOADED,
        /** Already at its destination with the recorded SHA-256: not fetched again. */
        ALREADY_PRESENT,
        FAILED
    }

    public static DownloadResult failed(RestoreFile file, String error) {
        return new DownloadResult(file, Status.FAILED, 0, error);
    }

    public boolean ok() {
        return status != Status.FAILED;
    }
}
