package io.github.cassandrasnapshotter.camel;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.storage.S3Settings;

import java.util.Map;

/**
 * Requests made from a message's option headers, for an application that embeds the routes
 * ({@code cli.FlagRequests}: the command line's flags, given once, plus the headers). Each method
 * checks what it is given as the command line does and throws {@code InvalidInputException} in the
 * command line's words.
 */
public interface HeaderRequests {
    /** Where the backups are ({@code list}, {@code status}). */
    S3Settings s3Settings();

    BackupRequest backup(Map<String, Object> headers);

    RestoreRequest restore(Map<String, Object> headers, boolean inPlace);

    RestoreRequest verify(Map<String, Object> headers);
}
