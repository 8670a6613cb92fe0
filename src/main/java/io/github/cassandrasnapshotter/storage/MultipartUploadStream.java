package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * An output stream that becomes one S3 object, uploaded part by part while it is written.
 *
 * <p>Bytes fill a pooled buffer of the part size; a full buffer is uploaded on the executor while
 * the writer fills the next, with at most {@code maxPartsInFlight} parts of this stream in flight.
 * An object smaller than one part is written with a single PUT. {@link #close()} completes the
 * object; {@link #abort()} discards it. Memory: (parts in flight + 1) buffers, whatever the length.
 */
public final class MultipartUploadStream extends OutputStream {
    /** S3's limit on parts per upload. */
    public static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final ObjectTarget target;
    private final PartBufferPool pool;
    private final Executor executor;
    private final Semaphore inFlight;
    private final long expectedLength;
    private final PartFutures parts = new PartFutures();

    private byte[] buffer;
    private int filled;
    private String uploadId;
    private long length;
    private boolean closed;

    /**
     * @param expectedLength the object's length when known in advance (a bound is enough), else -1:
     *                       an object smaller than a part then takes only its own size in memory
     */
    public MultipartUploadStream(S3Client s3, ObjectTarget target, PartBufferPool pool, Executor executor,
                                 int maxPartsInFlight, long expectedLength) {
        this.s3 = s3;
        this.expectedLength = expectedLength;
        this.target = target;
        this.pool = pool;
        this.executor = executor;
        this.inFlight = new Semaphore(Math.max(1, maxPartsInFlight));
    }

    /** Bytes written so far: the stored size of the object. */
    public long length() {
        return length;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
        ensureOpen();
        while (count > 0) {
            if (buffer == null) {
                buffer = acquireBuffer(parts.size() == 0 ? expectedLength : -1);
            } else if (filled == buffer.length && buffer.length < pool.partSize()) {
                growToPartSize();
            }
            int n = Math.min(count, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            count -= n;
            length += n;
            if (filled == pool.partSize()) {
                sendPart();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uploadId == null) {
                putSingleObject();
                return;
            }
            if (filled > 0) {
                sendPart();
            }
            List<CompletedPart> completed = awaitAll();
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build())
                    .build());
        } catch (IOException | RuntimeException e) {
            abortQuietly();
            throw e;
        } finally {
            releaseBuffer();
        }
    }

    /** Discards the object: waits for parts in flight, then aborts the multipart upload. */
    public void abort() {
        closed = true;
        abortQuietly();
        releaseBuffer();
    }

    private void putSingleObject() {
        byte[] body = buffer == null ? new byte[0] : buffer;
        int size = filled;
        s3.putObject(target.putRequest().contentLength((long) size).build(),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body, 0, size), size,
                        "application/octet-stream"));
    }

    private void sendPart() throws IOException {
        if (parts.size() >= MAX_PARTS) {
            throw new IOException("object " + target.key() + " needs more than " + MAX_PARTS
                    + " parts: raise --buffer-size");
        }
        failIfAPartFailed();
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(target.createMultipartRequest()).uploadId();
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send a part");
        }
        byte[] part = buffer;
        int size = filled;
        int partNumber = parts.size() + 1;
        buffer = null;
        filled = 0;
        CompletableFuture<CompletedPart> future;
        try {
            future = CompletableFuture.supplyAsync(() -> uploadPart(part, size, partNumber), executor);
        } catch (RuntimeException e) {
            pool.release(part);
            inFlight.release();
            throw e;
        }
        parts.add(future.whenComplete((ok, error) -> {
            pool.release(part);
            inFlight.release();
        }));
    }

    private CompletedPart uploadPart(byte[] part, int size, int partNumber) {
        String eTag = s3.uploadPart(UploadPartRequest.builder()
                        .bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) size).build(),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, size), size,
                        "application/octet-stream")).eTag();
        return CompletedPart.builder().partNumber(partNumber).eTag(eTag).build();
    }

    private void failIfAPartFailed() throws IOException {
        try {
            parts.throwIfOneFailed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while checking the parts");
        }
    }

    private List<CompletedPart> awaitAll() throws IOException {
        try {
            return parts.awaitAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part");
        }
    }

    /**
     * Aborts even on an interrupted thread (a stop): the SDK refuses to send a request from one, and
     * the upload would be left open, so the interrupt is held back for the abort and set again after it.
     */
    private void abortQuietly() {
        if (uploadId != null) {
            boolean interrupted = Thread.interrupted();
            try {
                parts.abortWhenSettled(s3, target, uploadId);
            } catch (RuntimeException ignored) {
                // An upload we could not abort is removed by the bucket's lifecycle rule for incomplete uploads.
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** The object outgrew its expected length: continue in a full part buffer. */
    private void growToPartSize() throws IOException {
        byte[] small = buffer;
        buffer = acquireBuffer(-1);
        System.arraycopy(small, 0, buffer, 0, filled);
    }

    private byte[] acquireBuffer(long expected) throws IOException {
        try {
            return pool.acquire(expected);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer");
        }
    }

    private void releaseBuffer() {
        if (buffer != null) {
            pool.release(buffer);
            buffer = null;
            filled = 0;
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("upload of " + target.key() + " is closed");
        }
    }
}
