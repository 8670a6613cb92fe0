package io.github.cassandrasnapshotter.storage;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One backup of a base path at a time, across processes and machines: a lock object
 * ({@code <base>/_status/lock.json}) created with a conditional write (If-None-Match), holding its
 * owner and an expiry that a heartbeat pushes forward (If-Match on the lock's own ETag). A lock whose
 * holder died expires and is taken over, again with If-Match, so two takers cannot both win.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    public static final String KEY = "lock.json";

    record Content(@JsonProperty("owner") String owner, @JsonProperty("run") String run,
                   @JsonProperty("acquired") String acquired, @JsonProperty("expires") String expires) {
    }

    private final S3Client s3;
    private final ObjectTarget target;
    private final Duration ttl;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final String owner;
    private final Instant acquired;
    private ScheduledExecutorService heartbeat;
    private String etag;

    private RunLock(S3Client s3, ObjectTarget target, Duration ttl, Clock clock) {
        this.s3 = s3;
        this.target = target;
        this.ttl = ttl;
        this.clock = clock;
        this.owner = hostName() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID();
        this.acquired = clock.instant();
    }

    /** Takes the lock or throws {@link LockHeldException} naming its holder; keeps it alive until closed. */
    public static RunLock acquire(S3Client s3, S3Settings settings, String run, Duration ttl, Clock clock) {
        ObjectTarget target = ObjectTarget.of(settings, new StorageKeys(settings.basePath()).statusKey(KEY));
        RunLock lock = new RunLock(s3, target, ttl, clock);
        lock.take(run);
        lock.heartbeat = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("run-lock-heartbeat"));
        long period = Math.max(1, ttl.toSeconds() / 3);
        lock.heartbeat.scheduleAtFixedRate(() -> lock.renew(run), period, period, TimeUnit.SECONDS);
        return lock;
    }

    private void take(String run) {
        try {
            etag = put(run, PutObjectRequest.builder().ifNoneMatch("*"));
            return;
        } catch (S3Exception e) {
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
        }
        ResponseBytes<GetObjectResponse> current;
        try {
            current = s3.getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.key()));
        } catch (NoSuchKeyException released) {
            take(run);
            return;
        }
        Content holder = read(current.asByteArray());
        if (Instant.parse(holder.expires()).isAfter(clock.instant())) {
            throw new LockHeldException("another backup of this base path is running (" + holder.run() + " by "
                    + holder.owner() + ", since " + holder.acquired() + "; its lock expires at " + holder.expires()
                    + " unless renewed): this run is skipped");
        }
        LOG.warn("taking over the expired lock of {} (run {}, expired {})", holder.owner(), holder.run(), holder.expires());
        try {
            etag = put(run, PutObjectRequest.builder().ifMatch(current.response().eTag()));
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new LockHeldException("another backup took the expired lock of this base path first: this run is skipped");
            }
            throw e;
        }
    }

    private synchronized void renew(String run) {
        try {
            etag = put(run, PutObjectRequest.builder().ifMatch(etag));
        } catch (RuntimeException e) {
            LOG.warn("could not renew the lock {}: {}", target.key(), e.getMessage());
        }
    }

    private String put(String run, PutObjectRequest.Builder request) {
        Instant now = clock.instant();
        byte[] content;
        try {
            content = json.writeValueAsBytes(new Content(owner, run, acquired.toString(), now.plus(ttl).toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        PutObjectRequest.Builder builder = request.bucket(target.bucket()).key(target.key()).contentType("application/json");
        if (target.serverSideEncryption()) {
            builder.serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256);
        }
        return s3.putObject(builder.build(), RequestBody.fromBytes(content)).eTag();
    }

    private Content read(byte[] content) {
        try {
            return json.readValue(content, Content.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable lock object " + target.key(), e);
        }
    }

    /** Stops the heartbeat and removes the lock, if it is still this run's. */
    @Override
    public synchronized void close() {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        try {
            ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.key()));
            if (owner.equals(read(current.asByteArray()).owner())) {
                s3.deleteObject(b -> b.bucket(target.bucket()).key(target.key()));
            }
        } catch (NoSuchKeyException gone) {
            // nothing to release
        } catch (RuntimeException e) {
            LOG.warn("could not release the lock {}: {}; it expires by itself", target.key(), e.getMessage());
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
