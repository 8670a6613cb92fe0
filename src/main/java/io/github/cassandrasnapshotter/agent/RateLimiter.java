package io.github.cassandrasnapshotter.agent;

import java.util.concurrent.TimeUnit;

/** Caps the bytes per second of every stream of a node together ({@code --rate-limit}, KB/s). */
public final class RateLimiter {
    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    public RateLimiter(long kilobytesPerSecond) {
        this.bytesPerSecond = kilobytesPerSecond * 1024;
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(0);
    }

    public void acquire(int bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + TimeUnit.SECONDS.toNanos(bytes) / bytesPerSecond;
            wait = start - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
