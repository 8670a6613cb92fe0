package io.github.cassandrasnapshotter.embed;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.cli.FlagRequests;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.storage.S3Settings;
import org.apache.camel.Message;

/**
 * The first step of every entry route ({@code snapshotterRequests} bean): the request a message
 * carries. A body that already is the request (the command line, the daemon) is used as it is;
 * otherwise the request is made from the embedding application's flags and the message's option
 * headers ({@link FlagRequests}).
 */
public final class SnapshotterRequests {
    private final FlagRequests flags;

    private SnapshotterRequests(FlagRequests flags) {
        this.flags = flags;
    }

    /** The command line's: every message carries its request as the body. */
    public static SnapshotterRequests bodyOnly() {
        return new SnapshotterRequests(null);
    }

    public static SnapshotterRequests fromFlags(FlagRequests flags) {
        return new SnapshotterRequests(flags);
    }

    public BackupRequest backup(Message message) {
        if (message.getBody() instanceof BackupRequest request) {
            return request;
        }
        return flags("direct:snapshotter-backup", message).backup(message.getHeaders());
    }

    public RestoreRequest restore(Message message) {
        if (message.getBody() instanceof RestoreRequest request) {
            return request;
        }
        return flags("direct:snapshotter-restore", message).restore(message.getHeaders(), false);
    }

    public RestoreRequest restoreInPlace(Message message) {
        if (message.getBody() instanceof RestoreRequest request) {
            return request;
        }
        return flags("direct:snapshotter-restore-in-place", message).restore(message.getHeaders(), true);
    }

    public RestoreRequest verify(Message message) {
        if (message.getBody() instanceof RestoreRequest request) {
            return request;
        }
        return flags("direct:snapshotter-verify", message).verify(message.getHeaders());
    }

    /** {@code list} and {@code status}: where the backups are. */
    public S3Settings s3Settings(Message message) {
        if (message.getBody() instanceof S3Settings settings) {
            return settings;
        }
        return flags("direct:snapshotter-list", message).s3Settings();
    }

    private FlagRequests flags(String endpoint, Message message) {
        if (flags == null) {
            Object body = message.getBody();
            throw new IllegalArgumentException(endpoint + " needs its request as the body, not "
                    + (body == null ? "an empty body" : body.getClass().getSimpleName()));
        }
        return flags;
    }
}
