package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;

import java.util.List;

/**
 * An in-place restore's work on one node, handed to its agent on stdin (it may hold credentials).
 *
 * @param staging            the folder made in each table's folder for the files, {@code restore-<snapshot>}
 * @param connectionsPerFile ranged GETs in flight for each large file; 1 for one GET per file
 */
public record RestoreJob(String version, String host, S3Settings s3, List<RestoreFile> files, String cassandraConfPath,
                         String staging, int downloadThreads, int connectionsPerFile) {

    /** The staging folder's name: {@code restore-} and the snapshot's. */
    public static final String STAGING_PREFIX = "restore-";

    public RestoreJob {
        files = List.copyOf(files);
    }

    /**
     * This job, when everything in it that names a host, a path or a Cassandra name is what the command
     * line would take. The agent checks it again before it touches anything: under sudo it runs as root.
     *
     * @throws InvalidInputException naming what is not
     */
    public RestoreJob checked() {
        InputValidator.host(host);
        InputValidator.path("cassandra conf path", cassandraConfPath);
        if (staging == null || !staging.startsWith(STAGING_PREFIX)) {
            throw new InvalidInputException("invalid staging folder '" + InputValidator.printable(staging, 80)
                    + "': expected " + STAGING_PREFIX + "<snapshot>");
        }
        InputValidator.snapshotName(staging.substring(STAGING_PREFIX.length()));
        for (RestoreFile file : files) {
            if (!host.equals(file.host())) {
                throw new InvalidInputException("the file " + InputValidator.printable(file.key(), 1000)
                        + " is of another host than " + host);
            }
            file.checked();
        }
        return this;
    }

    @Override
    public String toString() {
        return "RestoreJob[host=" + host + ", files=" + files.size() + ", s3=" + s3 + "]";
    }
}
