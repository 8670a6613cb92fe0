package io.github.cassandrasnapshotter.validate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The name of a snapshot or run: the UTC time it was taken, {@code YYYYmmddHHMMSS} (also the old tool's
 * names, and the {@code nodetool snapshot -t} tag). It lives here, below every package that names
 * snapshots, because {@code validate} imports nothing of ours.
 *
 * <p>Two checks: {@link #hasShape} (14 digits) is what a value given on the command line or in a job
 * must have; {@link #isName} (14 digits that are a time) is what a folder or record of the untrusted
 * bucket must be to count as a snapshot.
 */
public final class SnapshotName {
    /** The shape of a name: what {@link InputValidator#snapshotName} requires. */
    static final Pattern SHAPE = Pattern.compile("[0-9]{14}");
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter FORMAT_OF_TIME = FORMAT.withZone(ZoneOffset.UTC);

    private SnapshotName() {
    }

    /** The name of a snapshot (or run) taken at {@code time}, to the second. */
    public static String of(Instant time) {
        return FORMAT_OF_TIME.format(time);
    }

    /**
     * The time a name stands for (UTC).
     *
     * @throws DateTimeParseException when it is not a time {@code YYYYmmddHHMMSS}
     */
    public static Instant timeOf(String name) {
        return LocalDateTime.parse(name, FORMAT).toInstant(ZoneOffset.UTC);
    }

    /** Fourteen digits, as a name given by the operator must be. */
    public static boolean hasShape(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    /** Fourteen digits that are a time: folder names in the bucket are untrusted, {@code 20241399000000} is none. */
    public static boolean isName(String value) {
        if (!hasShape(value)) {
            return false;
        }
        try {
            timeOf(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
