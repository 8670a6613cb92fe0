package io.github.cassandrasnapshotter.camel;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.storage.S3Settings;
import org.apache.camel.Message;

import java.util.function.Function;

/**
 * The first step of every entry route ({@code snapshotterRequests} bean): the request a message
 * carries. A body that already is the request (the command line, the daemon) is used as it is;
 * otherwise the request is made from the embedding application's flags and the message's option
 * headers ({@link HeaderRequests}).
 */
public final class SnapshotterRequests {
    private final HeaderRequests flags;

    private SnapshotterRequests(HeaderRequests flags) {
        this.flags = flags;
    }

    /** The command line's: every message carries its request as the body. */
    public static SnapshotterRequests bodyOnly() {
        return new SnapshotterRequests(null);
    }

    public static SnapshotterRequests fromHeaders(HeaderRequests flags) {
        return new SnapshotterRequests(flags);
    }

    public BackupRequest backup(Message message) {
        return request(message, BackupRequest.class, "direct:snapshotter-backup",
                flags -> flags.backup(message.getHeaders()));
    }

    public RestoreRequest restore(Message message) {
        return request(message, RestoreRequest.class, "direct:snapshotter-restore",
                flags -> flags.restore(message.getHeaders(), false));
    }

    public RestoreRequest restoreInPlace(Message message) {
        return request(message, RestoreRequest.class, "direct:snapshotter-restore-in-place",
                flags -> flags.restore(message.getHeaders(), true));
    }

    public RestoreRequest verify(Message message) {
        return request(message, RestoreRequest.class, "direct:snapshotter-verify",
                flags -> flags.verify(message.getHeaders()));
    }

    /** {@code list} and {@code status}: where the backups are. */
    public S3Settings s3Settings(Message message) {
        return request(message, S3Settings.class, "direct:snapshotter-list", HeaderRequests::s3Settings);
    }

    /** The body when it already is the request, else the request the flags and headers make. */
    private <T> T request(Message message, Class<T> type, String endpoint, Function<HeaderRequests, T> fromFlags) {
        Object body = message.getBody();
        return type.isInstance(body) ? type.cast(body) : fromFlags.apply(flags(endpoint, message));
    }

    private HeaderRequests flags(String endpoint, Message message) {
        if (flags == null) {
            Object body = message.getBody();
            throw new IllegalArgumentException(endpoint + " needs its request as the body, not "
                    + (body == null ? "an empty body" : body.getClass().getSimpleName()));
        }
        return flags;
    }
}
