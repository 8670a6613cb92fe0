package io.github.cassandrasnapshotter.storage;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One backup of a base path at a time, across processes and machines: a lock object
 * ({@code <base>/_status/lock.json}) created with a conditional write (If-None-Match) and renewed by a
 * heartbeat with If-Match on the ETag of the holder's last write.
 *
 * <p>Expiry is judged by the store's clock only: a lock is expired when the store's time (its
 * {@code Date}) is more than the lock's TTL past the object's {@code Last-Modified}. Clocks of the
 * holder and the taker are never compared; the holder measures only how long ago it last had a renewal
 * confirmed (a monotonic clock), and stops writing anything that needs the lock once that is longer
 * than {@link LockTiming#confirmedFor()}: by then it cannot be sure no other run judged the lock expired.
 * A takeover is an If-Match on the ETag that was read, so two takers cannot both win, and a holder
 * whose lock was taken over finds out at its next renewal (its If-Match fails).
 *
 * <p>The object's {@code expires} is for people: the holder's estimate of the store's time plus the TTL.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    public static final String KEY = "lock.json";
    /** Takes before giving up when the lock keeps appearing and disappearing between a create and a read. */
    private static final int TAKE_ATTEMPTS = 3;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Content(@JsonProperty("owner") String owner, @JsonProperty("run") String run,
                   @JsonProperty("acquired") String acquired, @JsonProperty("expires") String expires,
                   @JsonProperty("ttl_seconds") Long ttlSeconds) {
    }

    private final LockStore store;
    private final LockTiming timing;
    private final Clock clock;
    private final LongSupplier ticker;
    private final ObjectMapper json = new ObjectMapper();
    private final String owner;
    private final String run;
    private final Instant acquired;
    private ScheduledExecutorService heartbeat;
    // Written by the taking thread, then only by the heartbeat thread; read by the run's threads.
    private volatile String etag;
    private volatile long confirmedAt;
    private volatile Instant storeTime;
    private volatile long storeTimeAt;
    private volatile String lost;
    private final java.util.List<java.util.function.Consumer<String>> onLost = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RunLock(LockStore store, String run, LockTiming timing, Clock clock, LongSupplier ticker) {
        this.store = store;
        this.run = run;
        this.timing = timing;
        this.clock = clock;
        this.ticker = ticker;
        this.owner = hostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID();
        this.acquired = clock.instant();
    }

    /**
     * Takes the lock, or throws {@link LockHeldException} naming its holder (or saying why the object
     * cannot be read, and how to clear it). It is not renewed until {@link #keepAlive()}.
     *
     * @param clock  this machine's clock, only for the times shown in the object
     * @param ticker a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public static RunLock acquire(LockStore store, String run, LockTiming timing, Clock clock, LongSupplier ticker) {
        RunLock lock = new RunLock(store, run, timing, clock, ticker);
        lock.take();
        return lock;
    }

    /** Renews the lock every {@link LockTiming#renewal()} until {@link #close()}. */
    public RunLock keepAlive() {
        heartbeat = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("run-lock-heartbeat"));
        long period = timing.renewal().toMillis();
        heartbeat.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    public String owner() {
        return owner;
    }

    public String location() {
        return store.location();
    }

    private void take() {
        for (int attempt = 1; attempt <= TAKE_ATTEMPTS; attempt++) {
            long sent = ticker.getAsLong();
            try {
                confirm(store.create(content(sent)), sent);
                return;
            } catch (ConditionFailedException held) {
                // someone holds it, or held it: read whose it is and whether it expired
            }
            Optional<LockStore.Stored> current = store.read();
            if (current.isEmpty()) {
                continue; // released between the create and the read
            }
            LockStore.Stored stored = current.get();
            Holder holder = holder(stored);
            Instant expiresAt = stored.lastModified().plus(holder.ttl());
            if (!stored.storeNow().isAfter(expiresAt)) {
                throw new LockHeldException(holder.heldMessage(stored, expiresAt));
            }
            LOG.warn("taking over the lock {} of {}: last written at {}, more than {} s before the store's time {}",
                    store.location(), holder.who(), stored.lastModified(), holder.ttl().toSeconds(), stored.storeNow());
            sent = ticker.getAsLong();
            try {
                confirm(store.replace(content(sent), stored.etag()), sent);
                return;
            } catch (ConditionFailedException e) {
                throw new LockHeldException("another backup took over the expired lock " + store.location()
                        + " first: this run is skipped");
            }
        }
        throw new LockHeldException("the lock " + store.location() + " kept changing while this run tried to take it "
                + "(other runs are starting and ending): this run is skipped");
    }

    /** One renewal (the heartbeat's): If-Match on this run's last write; a refusal means the lock is lost. */
    void renew() {
        if (lost != null) {
            return;
        }
        long sent = ticker.getAsLong();
        try {
            confirm(store.replace(content(sent), etag), sent);
        } catch (ConditionFailedException e) {
            lose("its renewal was refused: someone else wrote the lock " + store.location() + " since" + nowHeldBy());
        } catch (RuntimeException e) {
            long since = ticker.getAsLong() - confirmedAt;
            LOG.warn("could not renew the lock {} ({}); last renewed {} s ago, the run stops writing at {} s",
                    store.location(), e.getMessage(), TimeUnit.NANOSECONDS.toSeconds(since),
                    timing.confirmedFor().toSeconds());
            if (since >= timing.confirmedFor().toNanos()) {
                lose("its renewals failed for " + TimeUnit.NANOSECONDS.toSeconds(since) + " s (its TTL is "
                        + timing.ttl().toSeconds() + " s: another run may have taken it)");
            }
        }
    }

    private void lose(String reason) {
        lost = reason;
        LOG.error("this run lost the lock {}: {}", store.location(), reason);
        onLost.forEach(listener -> listener.accept(reason));
    }

    /**
     * Calls {@code listener} with the reason when the heartbeat finds the lock lost (a renewal refused, or
     * none confirmed for too long): what the run does next without the lock must stop (its node agents).
     */
    public void onLost(java.util.function.Consumer<String> listener) {
        onLost.add(listener);
        String reason = lost;
        if (reason != null) {
            listener.accept(reason);
        }
    }

    /**
     * Throws {@link LockLostException} unless this run still surely holds the lock: no renewal was
     * refused, and the last confirmed one was sent less than {@link LockTiming#confirmedFor()} ago.
     *
     * @param next what the run was about to do, for the message
     */
    public void ensureHeld(String next) {
        String reason = lost;
        if (reason == null) {
            long since = ticker.getAsLong() - confirmedAt;
            if (since >= timing.confirmedFor().toNanos()) {
                reason = "its renewals failed for " + TimeUnit.NANOSECONDS.toSeconds(since) + " s (its TTL is "
                        + timing.ttl().toSeconds() + " s: another run may have taken it)";
            }
        }
        if (reason != null) {
            throw new LockLostException("this run lost the lock of its base path (" + store.location() + "): "
                    + reason + "; it stopped before " + next + ". Run the backup again (once the other run, if any, "
                    + "has ended)");
        }
    }

    /** Why this run no longer holds the lock, once a renewal was refused. */
    public Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    private void confirm(LockStore.Written written, long sent) {
        etag = written.etag();
        confirmedAt = sent;
        if (written.storeNow() != null) {
            storeTime = written.storeNow();
            storeTimeAt = ticker.getAsLong();
        }
    }

    /**
     * The store's time now, as far as this holder knows it: the {@code Date} of the store's last answer to the
     * lock, moved on by this machine's monotonic clock (this machine's clock only when the store sends no Date).
     * What a run that holds the lock judges ages by (a purge's "now"), so that two machines' clocks never meet.
     */
    public Instant storeNow() {
        return storeNow(ticker.getAsLong());
    }

    private Instant storeNow(long now) {
        Instant seen = storeTime;
        return seen == null ? clock.instant() : seen.plusNanos(now - storeTimeAt);
    }

    private byte[] content(long now) {
        // The store's time as last seen, moved on by this machine's monotonic clock; this machine's before that.
        Instant storeNow = storeNow(now);
        try {
            return json.writeValueAsBytes(new Content(owner, run, acquired.toString(),
                    storeNow.plus(timing.ttl()).toString(), timing.ttl().toSeconds()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String nowHeldBy() {
        try {
            Optional<LockStore.Stored> now = store.read();
            if (now.isEmpty()) {
                return " (it is gone now)";
            }
            return " (it now names " + holder(now.get()).who() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Who holds a lock object, and its TTL; or why it cannot be read. */
    private record Holder(Content content, String unreadable, Duration ttl, String location) {
        String who() {
            return unreadable != null ? "an unreadable lock object" : content.run() + " by " + content.owner();
        }

        String heldMessage(LockStore.Stored stored, Instant expiresAt) {
            if (unreadable != null) {
                return "the lock object " + location + " cannot be read (" + unreadable + "): this run is skipped. "
                        + "It is taken over once it is " + ttl.toSeconds() + " s old by the store's clock (it was "
                        + "last written at " + stored.lastModified() + ", so after " + expiresAt + "); if no backup "
                        + "of this base path is running, remove it now: aws s3 rm " + location;
            }
            return "another backup of this base path is running (" + who() + ", since " + content.acquired()
                    + "; its lock " + location + " was last renewed at " + stored.lastModified()
                    + " by the store's clock and is taken over if not renewed by " + expiresAt + "): this run is skipped";
        }
    }

    private Holder holder(LockStore.Stored stored) {
        Content content;
        try {
            content = json.readValue(stored.content(), Content.class);
        } catch (IOException e) {
            return new Holder(null, "not JSON: " + firstLine(e.getMessage()), timing.ttl(), store.location());
        }
        if (content == null || content.expires() == null) {
            return new Holder(null, "it has no \"expires\"", timing.ttl(), store.location());
        }
        try {
            Instant.parse(content.expires());
        } catch (DateTimeParseException e) {
            return new Holder(null, "its \"expires\" is not a time: " + content.expires(), timing.ttl(),
                    store.location());
        }
        // The holder renews by its own TTL; a lock written before ttl_seconds existed is judged by ours.
        Duration ttl = content.ttlSeconds() != null && content.ttlSeconds() > 0
                ? Duration.ofSeconds(content.ttlSeconds()) : timing.ttl();
        return new Holder(content, null, ttl, store.location());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** Stops the heartbeat and removes the lock if it is still this run's (If-Match on its last write). */
    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
            try {
                heartbeat.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lost != null) {
            LOG.info("the lock {} is not this run's any more: left as it is", store.location());
            return;
        }
        try {
            store.delete(etag);
        } catch (ConditionFailedException e) {
            LOG.info("the lock {} changed since this run last wrote it: left as it is", store.location());
        } catch (RuntimeException e) {
            LOG.warn("could not release the lock {}: {}; it expires by itself {} s after its last renewal",
                    store.location(), e.getMessage(), timing.ttl().toSeconds());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
