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

    /**
     * Takes {@code bytes} of the budget, waiting for them if needed. At low rates one read's share is
     * many seconds (1 MB at 64 KB/s is 16 s, more with several files waiting their turn), so a stop ends
     * the wait at once: the agent must stop well within {@link AgentSession#GRACE}.
     */
    public void acquire(int bytes, AgentStop stop) throws InterruptedException {
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
            stop.awaitStop(wait);
        }
    }
}
