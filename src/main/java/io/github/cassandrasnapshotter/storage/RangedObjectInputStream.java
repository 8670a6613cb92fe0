package io.github.cassandrasnapshotter.storage;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * One object read in order through ranged GETs, several ranges in flight ahead of the reader. A single
 * GET is one connection, and stores cap what one connection carries (S3 at tens of MB/s); ranges
 * fetched side by side restore a large SSTable at the speed of several. Memory: the caller's range
 * buffers, one per range in flight, reused from range to range. Integrity is the caller's SHA-256
 * over the whole content; a range whose object has another length than expected fails the read.
 */
public final class RangedObjectInputStream extends InputStream {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final long length;
    private final byte[][] buffers;
    private final Executor executor;
    private final Deque<Range> inFlight = new ArrayDeque<>();
    private long nextOffset;
    private Range current;
    private int position;
    private final byte[] one = new byte[1];

    /**
     * @param length  the object's stored length, from the manifest
     * @param buffers one per range in flight, all of the range size; not touched after {@link #close()}
     */
    public RangedObjectInputStream(S3Client s3, String bucket, String key, long length, byte[][] buffers,
                                   Executor executor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.length = length;
        this.buffers = buffers;
        this.executor = executor;
        for (int slot = 0; slot < buffers.length && nextOffset < length; slot++) {
            fetchNext(slot);
        }
    }

    private record Range(int slot, long offset, int length, CompletableFuture<Void> fetched) {
    }

    private void fetchNext(int slot) {
        long offset = nextOffset;
        int size = (int) Math.min(buffers[slot].length, length - offset);
        nextOffset += size;
        inFlight.add(new Range(slot, offset, size, CompletableFuture.runAsync(() -> fetch(slot, offset, size), executor)));
    }

    private void fetch(int slot, long offset, int size) {
        String range = "bytes=" + offset + "-" + (offset + size - 1);
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key).range(range))) {
            String contentRange = in.response().contentRange();
            if (contentRange == null || !contentRange.endsWith("/" + length)) {
                in.abort();
                throw new IOException("s3://" + bucket + "/" + key + " is not the object the manifest records: "
                        + "asked for " + range + " of " + length + " bytes, got " + contentRange);
            }
            byte[] buffer = buffers[slot];
            int filled = 0;
            while (filled < size) {
                int n = in.read(buffer, filled, size - filled);
                if (n < 0) {
                    throw new IOException("s3://" + bucket + "/" + key + " ended after " + (offset + filled) + " of "
                            + length + " bytes");
                }
                filled += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int count) throws IOException {
        if (count == 0) {
            return 0;
        }
        if (current != null && position == current.length()) {
            int slot = current.slot();
            current = null;
            if (nextOffset < length) {
                fetchNext(slot);
            }
        }
        if (current == null) {
            Range head = inFlight.poll();
            if (head == null) {
                return -1;
            }
            await(head);
            current = head;
            position = 0;
        }
        int n = Math.min(count, current.length() - position);
        System.arraycopy(buffers[current.slot()], position, into, offset, n);
        position += n;
        return n;
    }

    private static void await(Range range) throws IOException {
        try {
            range.fetched().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading a range");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** Waits for the ranges still in flight, so that no fetch writes into the buffers after this returns. */
    @Override
    public void close() {
        for (Range range : inFlight) {
            try {
                range.fetched().join(); // not interruptible; an interrupt stays set for the caller
            } catch (RuntimeException failed) {
                // the fetch failed: it writes no more
            }
        }
        inFlight.clear();
        current = null;
    }
}
