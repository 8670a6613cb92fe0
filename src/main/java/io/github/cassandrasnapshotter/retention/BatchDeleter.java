package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.util.DaemonThreads;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
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
    private final Map<String, String> failed = new ConcurrentSkipListMap<>();
    private final Runnable beforeEachBatch;
    private List<ObjectIdentifier> batch = new ArrayList<>(BATCH);

    /** @param beforeEachBatch runs before each request is sent (the lock check), and may stop the purge by throwing */
    BatchDeleter(S3Client s3, String bucket, int requestsAtOnce, Runnable beforeEachBatch) {
        this.s3 = s3;
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

    /** Key → why it was not deleted. */
    Map<String, String> failed() {
        return Map.copyOf(failed);
    }

    private void send() throws InterruptedException {
        beforeEachBatch.run();
        List<ObjectIdentifier> keys = batch;
        batch = new ArrayList<>(BATCH);
        inFlight.acquire();
        requests.execute(() -> {
            try {
                DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(bucket)
                        .delete(d -> d.objects(keys).quiet(true)));
                for (S3Error error : response.errors()) {
                    failed.put(error.key(), error.code() + ": " + error.message());
                }
                deleted.addAndGet(keys.size() - response.errors().size());
            } catch (RuntimeException e) {
                keys.forEach(key -> failed.put(key.key(), String.valueOf(e.getMessage())));
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
