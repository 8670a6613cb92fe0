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
     * smaller than a part gets a buffer of its own size, outside the pool, so many small files at
     * once never each hold a full part.
     */
    public byte[] acquire(long expectedBytes) throws InterruptedException {
        if (expectedBytes >= 0 && expectedBytes < partSize) {
            return new byte[(int) Math.max(expectedBytes, 1)];
        }
        return acquire();
    }

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
