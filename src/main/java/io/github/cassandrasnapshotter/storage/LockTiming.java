package io.github.cassandrasnapshotter.storage;

import java.time.Duration;

/**
 * How long a run lock lives without renewal (judged by the store's clock: its Last-Modified plus
 * this) and how often its holder renews it. The holder stops before any write that needs the lock
 * once it has gone {@link #confirmedFor()} without a confirmed renewal, so that it never writes
 * after another run could have judged the lock expired.
 */
public record LockTiming(Duration ttl, Duration renewal) {
    /** How long a lock outlives a coordinator that died without releasing it. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    /** How often a holder renews: well before expiry, so that a few failed renewals in a row are survived. */
    public static final Duration DEFAULT_RENEWAL = Duration.ofMinutes(1);
    /** A renewal interval is at most this share of the TTL (three renewals are tried before the lock is doubtful). */
    public static final int MIN_RENEWALS_PER_TTL = 3;

    public static LockTiming defaults() {
        return new LockTiming(DEFAULT_TTL, DEFAULT_RENEWAL);
    }

    public LockTiming {
        if (ttl.isNegative() || renewal.isNegative() || renewal.isZero()
                || renewal.multipliedBy(MIN_RENEWALS_PER_TTL).compareTo(ttl) > 0) {
            throw new IllegalArgumentException("a lock's renewal interval (" + renewal.toSeconds() + " s) must be at "
                    + "least 1 s and at most a third of its TTL (" + ttl.toSeconds() + " s)");
        }
    }

    /** How long after its last confirmed renewal a holder still counts on its lock: the TTL less one interval. */
    public Duration confirmedFor() {
        return ttl.minus(renewal);
    }
}
