package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine.Option;

/** How much is downloaded at once; shared by {@code restore} and {@code verify --deep}. */
public final class DownloadOptions {
    @Option(names = "--download-threads", paramLabel = "N", description = "Files downloaded at once (default: ${DEFAULT-VALUE}).")
    int downloadThreads;

    @Option(names = "--connections-per-file", paramLabel = "N",
            description = "Ranged GETs of 8 MB in flight for each file over 16 MB (default: ${DEFAULT-VALUE}): stores such as "
                    + "S3 cap what one connection carries. 1 reads each file with one GET, which costs less CPU and "
                    + "memory where one connection is already fast, as with a store on the local network. "
                    + "Memory: download threads x N x 8 MB.")
    int connectionsPerFile;

    void validate() {
        if (downloadThreads < 1) {
            throw new InvalidInputException("--download-threads must be at least 1");
        }
        if (connectionsPerFile < 1 || connectionsPerFile > FileDownloader.MAX_CONNECTIONS_PER_FILE) {
            throw new InvalidInputException("--connections-per-file must be from 1 to " + FileDownloader.MAX_CONNECTIONS_PER_FILE);
        }
    }
}
