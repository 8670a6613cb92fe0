package io.github.cassandrasnapshotter.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lock's rules with every clock injected: the store's (which alone judges expiry), the holder's and
 * the taker's, eight minutes apart. The store here keeps S3's rules for conditional writes
 * (If-None-Match, If-Match, Last-Modified in whole seconds, Date on every answer); RunLockIT-style
 * checks against S3Proxy are in BackupIT.
 */
class RunLockTest {
    static final LockTiming TIMING = new LockTiming(Duration.ofMinutes(10), Duration.ofMinutes(1));
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** A store with S3's conditional-write rules and a clock of its own. */
    static final class Store implements LockStore {
        Instant now = T0;
        byte[] content;
        String etag;
        Instant lastModified;
        int version;
        int writes;
        boolean unreachable;

        @Override
        public String location() {
            return "s3://bucket/base/_status/lock.json";
        }

        @Override
        public synchronized Optional<Stored> read() {
            return content == null ? Optional.empty() : Optional.of(new Stored(content, etag, lastModified, now));
        }

        @Override
        public synchronized Written create(byte[] bytes) {
            if (content != null) {
                throw new ConditionFailedException("exists");
            }
            return write(bytes);
        }

        @Override
        public synchronized Written replace(byte[] bytes, String ifMatch) {
            if (unreachable) {
                throw new IllegalStateException("Connect to 127.0.0.1:9000 failed: connect timed out");
            }
            if (content == null || !etag.equals(ifMatch)) {
                throw new ConditionFailedException("changed");
            }
            return write(bytes);
        }

        @Override
        public synchronized void delete(String ifMatch) {
            if (content != null && !etag.equals(ifMatch)) {
                throw new ConditionFailedException("changed");
            }
            content = null;
        }

        /** Someone else's write (another run, an operator), unconditional. */
        synchronized void overwrite(String text) {
            write(text.getBytes(StandardCharsets.UTF_8));
        }

        private Written write(byte[] bytes) {
            content = bytes;
            etag = "\"" + (++version) + "\"";
            lastModified = now.truncatedTo(ChronoUnit.SECONDS);
            writes++;
            return new Written(etag, now);
        }

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** A machine: its wall clock (offset from the store's) and its monotonic clock, both following the store's time. */
    static final class Machine {
        final Store store;
        final Duration offset;
        final AtomicLong nanosAtStart = new AtomicLong();
        final Instant start;

        Machine(Store store, Duration offset) {
            this.store = store;
            this.offset = offset;
            this.start = store.now;
        }

        Clock clock() {
            return new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return store.now.plus(offset);
                }
            };
        }

        long ticker() {
            return Duration.between(start, store.now).toNanos();
        }

        RunLock acquire(String run) {
            return RunLock.acquire(store, run, TIMING, clock(), this::ticker);
        }
    }

    final Store store = new Store();
    /** The holder's clock is eight minutes behind the store's; the taker's eight minutes ahead. */
    final Machine holder = new Machine(store, Duration.ofMinutes(-8));
    final Machine taker = new Machine(store, Duration.ofMinutes(8));

    void pass(Duration time) {
        store.now = store.now.plus(time);
    }

    @Test
    void aLockIsHeldUntilItsTtlPassesByTheStoresClockWhateverTheClocksOfHolderAndTaker() {
        RunLock held = holder.acquire("backup of a");
        // The old rule (the holder's expiry against the taker's clock) took it over 2 minutes in.
        pass(Duration.ofMinutes(3));
        LockHeldException skipped = assertThrows(LockHeldException.class, () -> taker.acquire("backup of b"));
        assertTrue(skipped.getMessage().startsWith("another backup of this base path is running (backup of a by "),
                skipped.getMessage());
        assertTrue(skipped.getMessage().contains("taken over if not renewed by 2026-03-01T12:10:00Z"), skipped.getMessage());
        held.ensureHeld("the test");

        // The holder died: ten minutes after its last write, by the store's clock, the lock is taken over,
        // by a taker whose own clock is eight minutes behind (the old rule waited for it 18 minutes).
        pass(Duration.ofMinutes(7));
        Machine late = new Machine(store, Duration.ofMinutes(-8));
        assertThrows(LockHeldException.class, () -> late.acquire("backup of c"), "exactly the TTL: still held");
        pass(Duration.ofSeconds(1));
        RunLock taken = late.acquire("backup of c");
        assertTrue(store.text().contains("\"run\":\"backup of c\""), store.text());

        // The old holder's next renewal is refused: it knows it lost the lock, and says so before its next write.
        held.renew();
        LockLostException lost = assertThrows(LockLostException.class, () -> held.ensureHeld("writing manifest.json"));
        assertTrue(lost.getMessage().contains("s3://bucket/base/_status/lock.json")
                && lost.getMessage().contains("renewal was refused")
                && lost.getMessage().contains("backup of c by ")
                && lost.getMessage().contains("stopped before writing manifest.json"), lost.getMessage());
        held.close();
        assertTrue(store.text().contains("\"run\":\"backup of c\""), "the loser leaves the new holder's lock alone");
        taken.close();
        assertEquals(null, store.content, "the holder releases its own lock");
    }

    @Test
    void renewalsMoveLastModifiedAndExpiresAndKeepTheLockPastItsTtl() {
        RunLock held = holder.acquire("backup of a");
        Instant firstModified = store.lastModified;
        String firstContent = store.text();
        for (int minute = 0; minute < 25; minute++) {
            pass(Duration.ofMinutes(1));
            held.renew();
        }
        assertEquals(T0.plus(Duration.ofMinutes(25)), store.lastModified);
        assertNotEquals(firstModified, store.lastModified);
        // expires follows the store's clock once the holder has seen it (its own is eight minutes behind)
        assertTrue(store.text().contains("\"expires\":\"2026-03-01T12:35:00Z\""), firstContent + " then " + store.text());
        assertThrows(LockHeldException.class, () -> taker.acquire("backup of b"));
        held.ensureHeld("the test");
        held.close();
    }

    @Test
    void aHolderWhoseRenewalsFailStopsBeforeAnotherRunCouldJudgeItsLockExpired() {
        RunLock held = holder.acquire("backup of a");
        store.unreachable = true;
        // Its renewals fail (the store is unreachable from the holder): it goes on until TTL less one interval...
        for (int second = 0; second < 539; second++) {
            pass(Duration.ofSeconds(1));
            if (second % 60 == 59) {
                held.renew();
            }
        }
        held.ensureHeld("the test");
        pass(Duration.ofSeconds(1));
        held.renew();
        LockLostException lost = assertThrows(LockLostException.class, () -> held.ensureHeld("writing manifest.json"));
        assertTrue(lost.getMessage().contains("its renewals failed for 540 s (its TTL is 600 s"), lost.getMessage());
        // ... which is before any other run may take it over (600 s after its last write, by the store's clock)
        assertThrows(LockHeldException.class, () -> taker.acquire("backup of b"));
        assertEquals(1, store.writes, "nothing was written after the first take");
    }

    @Test
    void anUnreadableOrIncompleteLockObjectIsReportedWithItsKeyAndTakenOverAfterItsTtl() {
        for (String bad : new String[] {"{not json", "{\"owner\":\"x\",\"run\":\"r\"}"}) {
            store.content = null;
            store.overwrite(bad);
            LockHeldException skipped = assertThrows(LockHeldException.class, () -> taker.acquire("backup of b"));
            assertTrue(skipped.getMessage().startsWith("the lock object s3://bucket/base/_status/lock.json cannot be read ("),
                    skipped.getMessage());
            assertTrue(skipped.getMessage().contains(bad.startsWith("{not") ? "not JSON" : "it has no \"expires\""),
                    skipped.getMessage());
            assertTrue(skipped.getMessage().contains("aws s3 rm s3://bucket/base/_status/lock.json")
                    && skipped.getMessage().contains("taken over once it is 600 s old by the store's clock"),
                    skipped.getMessage());
            pass(Duration.ofMinutes(10).plusSeconds(1));
            RunLock taken = taker.acquire("backup of b");
            assertTrue(store.text().contains("\"run\":\"backup of b\""), store.text());
            taken.close();
        }
    }

    @Test
    void aReleaseRemovesOnlyTheLockThisRunLastWrote() {
        RunLock held = holder.acquire("backup of a");
        pass(Duration.ofSeconds(10));
        // an operator replaced it by hand, before the holder's next renewal could notice
        store.overwrite("{\"owner\":\"op\",\"run\":\"by hand\",\"acquired\":\"a\",\"expires\":\"2026-03-01T13:00:00Z\"}");
        held.close();
        assertTrue(store.text().contains("by hand"), "If-Match on the holder's last write: not removed");
    }

    @Test
    void aLockIsJudgedByTheTtlItsHolderWrote() {
        store.overwrite("{\"owner\":\"o\",\"run\":\"backup of x\",\"acquired\":\"2026-03-01T12:00:00Z\","
                + "\"expires\":\"2000-01-01T00:00:00Z\",\"ttl_seconds\":3600}");
        pass(Duration.ofMinutes(30));
        assertThrows(LockHeldException.class, () -> taker.acquire("backup of b"),
                "an hour's TTL by its holder, whatever its expires says and whatever ours is");
        pass(Duration.ofMinutes(31));
        taker.acquire("backup of b").close();
    }

    @Test
    void twoTakersOfAnExpiredLockCannotBothWin() {
        store.overwrite("{\"owner\":\"o\",\"run\":\"backup of x\",\"acquired\":\"a\",\"expires\":\"2026-03-01T12:10:00Z\"}");
        pass(Duration.ofMinutes(11));
        LockStore racing = new LockStore() {
            @Override
            public String location() {
                return store.location();
            }

            @Override
            public Optional<Stored> read() {
                Optional<Stored> read = store.read();
                store.overwrite("{\"owner\":\"first\",\"run\":\"backup of first\",\"acquired\":\"a\",\"expires\":\"b\"}");
                return read; // the other taker wrote between this one's read and its write
            }

            @Override
            public Written create(byte[] content) {
                return store.create(content);
            }

            @Override
            public Written replace(byte[] content, String etag) {
                return store.replace(content, etag);
            }

            @Override
            public void delete(String etag) {
                store.delete(etag);
            }
        };
        LockHeldException second = assertThrows(LockHeldException.class,
                () -> RunLock.acquire(racing, "backup of second", TIMING, taker.clock(), taker::ticker));
        assertTrue(second.getMessage().contains("took over the expired lock"), second.getMessage());
        assertTrue(store.text().contains("backup of first"));
    }
}
