package io.github.cassandrasnapshotter.storage;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Part buffers shared by every upload of one process. Buffers are made on demand up to a fixed
 * count and reused, so memory is part size times that count whatever the file sizes.
 */
public final class PartBufferPool {
    private final int partSize;
    private final int maxBuffers;
    private final Deque<byte[]> free = new ArrayDeque<>();
    private int created;

    public PartBufferPool(int partSize, int maxBuffers) {
        if (partSize <= 0 || maxBuffers <= 0) {
            throw new IllegalArgumentException("part size and buffer count must be positive");
        }
        this.partSize = partSize;
        this.maxBuffers = maxBuffers;
    }

    public int partSize() {
        return partSize;
    }

    /**
     * A buffer for {@code expectedBytes} (an object's whole size when known, else -1): an object
     * under {@value #OWN_BUFFER_LIMIT} bytes gets a buffer of its own size, outside the pool; any larger
     * one a pooled part buffer. Megabytes of short-lived arrays would go straight to the old
     * generation and cost full collections; pooled buffers are never garbage.
     */
    public byte[] acquire(long expectedBytes) throws InterruptedException {
        if (expectedBytes >= 0 && expectedBytes < Math.min(partSize, OWN_BUFFER_LIMIT)) {
            return new byte[(int) Math.max(expectedBytes, 1)];
        }
        return acquire();
    }

    /** Objects smaller than this get a buffer of their own: a few files' worth of garbage, young and cheap. */
    public static final int OWN_BUFFER_LIMIT = 1024 * 1024;

    public synchronized byte[] acquire() throws InterruptedException {
        while (free.isEmpty() && created >= maxBuffers) {
            wait();
        }
        if (!free.isEmpty()) {
            return free.pop();
        }
        created++;
        return new byte[partSize];
    }

    /** Takes back a pooled buffer; a small one made for a small object is left to the garbage collector. */
    public synchronized void release(byte[] buffer) {
        if (buffer.length != partSize) {
            return;
        }
        free.push(buffer);
        notifyAll();
    }

    synchronized int created() {
        return created;
    }
}
