package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.util.DaemonThreads;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletes keys in DeleteObjects batches of up to {@value #BATCH} keys, {@code requestsAtOnce} requests
 * at a time. Keys are handed in one by one as they are listed, so memory is a few batches, whatever the
 * number of keys. Every key the store did not delete is recorded with the store's reason; a retry helps
 * (the next purge deletes it, as it deletes what is left of a snapshot it began).
 */
final class BatchDeleter implements AutoCloseable {
    /** The store's limit of keys per DeleteObjects request. */
    static final int BATCH = 1000;

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService requests;
    private final int requestsAtOnce;
    private final Semaphore inFlight;
    private final AtomicLong deleted = new AtomicLong();
    private final FailedDeletes failed;
    private final Runnable beforeEachBatch;
    private List<ObjectIdentifier> batch = new ArrayList<>(BATCH);

    /**
     * @param failed          where each key the store did not delete goes
     * @param beforeEachBatch runs right before each request is sent, once its turn has come (the lock check: a
     *                        batch waiting for a free request is checked after the wait), and may stop the purge by
     *                        throwing; then that batch and every later one are not sent
     */
    BatchDeleter(S3Client s3, String bucket, int requestsAtOnce, FailedDeletes failed, Runnable beforeEachBatch) {
        this.s3 = s3;
        this.failed = failed;
        this.bucket = bucket;
        this.requests = Executors.newFixedThreadPool(requestsAtOnce, DaemonThreads.named("purge-delete"));
        this.requestsAtOnce = requestsAtOnce;
        this.beforeEachBatch = beforeEachBatch;
        this.inFlight = new Semaphore(requestsAtOnce);
    }

    /** Queues a key; a full batch is sent (waiting while {@code requestsAtOnce} are in flight). */
    void delete(String key) throws InterruptedException {
        batch.add(ObjectIdentifier.builder().key(key).build());
        if (batch.size() == BATCH) {
            send();
        }
    }

    /** Sends what is queued and waits for every request sent so far. */
    void flush() throws InterruptedException {
        if (!batch.isEmpty()) {
            send();
        }
        inFlight.acquire(requestsAtOnce);
        inFlight.release(requestsAtOnce);
    }

    long deleted() {
        return deleted.get();
    }

    private void send() throws InterruptedException {
        List<ObjectIdentifier> keys = batch;
        batch = new ArrayList<>(BATCH);
        inFlight.acquire();
        try {
            // After the wait for a free request: a lock lost while earlier batches were in flight stops this one.
            beforeEachBatch.run();
        } catch (RuntimeException stop) {
            inFlight.release();
            throw stop;
        }
        requests.execute(() -> {
            try {
                DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                        .delete(d -> d.objects(keys).quiet(true)));
                for (S3Error error : response.errors()) {
                    failed.add(error.key(), error.code() + ": " + error.message());
                }
                deleted.addAndGet(keys.size() - response.errors().size());
            } catch (RuntimeException e) {
                keys.forEach(key -> failed.add(key.key(), String.valueOf(e.getMessage())));
            } finally {
                inFlight.release();
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        requests.shutdown();
        requests.awaitTermination(1, TimeUnit.MINUTES);
    }
}
