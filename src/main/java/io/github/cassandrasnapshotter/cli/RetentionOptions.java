package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.backup.Durations;
import io.github.cassandrasnapshotter.retention.PurgeRequest;
import io.github.cassandrasnapshotter.retention.RetentionPolicy;
import io.github.cassandrasnapshotter.storage.LockTiming;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine.Option;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The retention flags, shared by {@code purge} and {@code daemon} (which purges after each complete
 * snapshot when a rule is set); defaults in {@code application.properties}.
 */
public final class RetentionOptions {
    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest complete snapshots (default: ${DEFAULT-VALUE}: off).")
    int keepLast;

    @Option(names = "--keep-within", paramLabel = "AGE",
            description = "Keep every complete snapshot younger than AGE: 30d, 12h (default: ${DEFAULT-VALUE}: off).")
    String keepWithin;

    @Option(names = "--keep-daily", paramLabel = "N",
            description = "Keep the newest complete snapshot of each of the last N days that have one (default: ${DEFAULT-VALUE}: off).")
    int keepDaily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "The same per ISO week (default: ${DEFAULT-VALUE}: off).")
    int keepWeekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "The same per calendar month (default: ${DEFAULT-VALUE}: off).")
    int keepMonthly;

    @Option(names = "--incomplete-grace", paramLabel = "AGE",
            description = "Delete incomplete snapshots once they are this old (default: ${DEFAULT-VALUE}).")
    String incompleteGrace;

    @Option(names = "--uploads-grace", paramLabel = "AGE",
            description = "Abort unfinished multipart uploads started this long ago (default: ${DEFAULT-VALUE}).")
    String uploadsGrace;

    @Option(names = "--include-legacy", description = "Let the rules delete snapshots of cassandra_snapshotter 1.x too.")
    boolean includeLegacy;

    /** The policy these flags set; {@link RetentionPolicy#anyRule()} is false when they set no rule. */
    RetentionPolicy policy(String timeZone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidInputException("--schedule-time-zone: unknown time zone '" + timeZone + "'");
        }
        Duration within = keepWithin == null || keepWithin.isBlank() || keepWithin.strip().equals("0")
                ? null : duration("--keep-within", keepWithin);
        try {
            return new RetentionPolicy(keepLast, within, keepDaily, keepWeekly, keepMonthly, zone,
                    duration("--incomplete-grace", incompleteGrace), includeLegacy);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** A purge of the base path with this policy, which must set a rule. */
    PurgeRequest request(S3Settings s3, RetentionPolicy policy, boolean dryRun) {
        try {
            return new PurgeRequest(s3, policy, duration("--uploads-grace", uploadsGrace), dryRun,
                    LockTiming.defaults(), PurgeRequest.DEFAULT_REQUESTS_AT_ONCE);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }

    /** Durations up to a century: larger ones overflow the time arithmetic, and no retention needs them. */
    private static final Duration LONGEST = Duration.ofDays(36_500);

    private static Duration duration(String flag, String text) {
        Duration duration;
        try {
            duration = Durations.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidInputException(flag + ": '" + text + "' is not a duration such as 30d, 12h or 90m");
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw new InvalidInputException(flag + ": " + text + " is longer than 36500d");
        }
        return duration;
    }
}
