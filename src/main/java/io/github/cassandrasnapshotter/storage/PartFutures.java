package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The parts of one multipart upload or multipart copy while they run on other threads: their
 * results by part number, the first failure as it was thrown, and an abort that comes last.
 */
final class PartFutures {
    /** The longest an abort waits for the parts still running: less than a stopped agent's halt. */
    static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(8);

    private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();

    void add(CompletableFuture<CompletedPart> part) {
        parts.add(part);
    }

    int size() {
        return parts.size();
    }

    /** Throws the failure of a part that has already failed, so that the writer stops early. */
    void throwIfOneFailed() throws InterruptedException {
        for (CompletableFuture<CompletedPart> part : parts) {
            if (part.isCompletedExceptionally()) {
                await(part);
            }
        }
    }

    /** Every part's result, by part number, once all are done; the first failure is thrown. */
    List<CompletedPart> awaitAll() throws InterruptedException {
        List<CompletedPart> completed = new ArrayList<>(parts.size());
        for (CompletableFuture<CompletedPart> part : parts) {
            completed.add(await(part));
        }
        completed.sort(Comparator.comparingInt(CompletedPart::partNumber));
        return completed;
    }

    /**
     * Aborts the multipart upload once no part is running any more, failed or not: a part that
     * ends after the abort would leave its bytes stored (and billed) under an upload no one completes.
     *
     * @throws RuntimeException the abort's own failure
     */
    void abortWhenSettled(S3Client s3, ObjectTarget target, String uploadId) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        boolean interrupted = false;
        for (int i = 0; i < parts.size(); i++) {
            try {
                parts.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                break; // a part that never ran (its pool stopped) would be waited for for ever: abort now
            } catch (InterruptedException e) {
                interrupted = true; // a stop: the abort must still go out, so this part is waited for again
                i--;
            } catch (ExecutionException | RuntimeException ignored) {
                // the part failed or was cancelled: nothing more to wait for
            }
        }
        try {
            // the SDK sends no request from an interrupted thread: the interrupt is set again after the abort
            s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static CompletedPart await(CompletableFuture<CompletedPart> part) throws InterruptedException {
        try {
            return part.get();
        } catch (ExecutionException e) {
            // Parts run as suppliers: what they throw is unchecked, perhaps wrapped once more by the future.
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            if (cause instanceof RuntimeException failure) {
                throw failure;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("a part failed: " + cause, cause);
        }
    }
}
