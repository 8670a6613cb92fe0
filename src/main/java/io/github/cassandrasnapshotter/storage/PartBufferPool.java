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

    public synchronized void release(byte[] buffer) {
        if (buffer.length != partSize) {
            throw new IllegalArgumentException("buffer is not from this pool");
        }
        free.push(buffer);
        notifyAll();
    }

    synchronized int created() {
        return created;
    }
}
