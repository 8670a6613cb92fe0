package io.github.cassandrasnapshotter.manifest;

/** How a run ended. */
public enum RunStatus {
    /** Every host and every file done. */
    COMPLETE,
    /** At least one host or file failed; the run's files that did upload are kept for the next run. */
    FAILED
}
