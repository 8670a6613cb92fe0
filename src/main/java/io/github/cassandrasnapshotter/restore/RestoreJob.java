package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.storage.S3Settings;

import java.util.List;

/**
 * An in-place restore's work on one node, handed to its agent on stdin (it may hold credentials).
 *
 * @param staging            the folder made in each table's folder for the files, {@code restore-<snapshot>}
 * @param connectionsPerFile ranged GETs in flight for each large file; 1 for one GET per file
 */
public record RestoreJob(String version, String host, S3Settings s3, List<RestoreFile> files, String confPath,
                         String staging, int downloadThreads, int connectionsPerFile) {

    public RestoreJob {
        files = List.copyOf(files);
    }

    @Override
    public String toString() {
        return "RestoreJob[host=" + host + ", files=" + files.size() + ", s3=" + s3 + "]";
    }
}
