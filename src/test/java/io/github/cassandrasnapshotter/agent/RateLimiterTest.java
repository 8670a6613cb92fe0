package io.github.cassandrasnapshotter.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate limiter's wait is the agent's longest: a stop must end it, not outlast it. */
class RateLimiterTest {

    @Test
    void aStopEndsTheWaitForTheBudget() {
        RateLimiter limiter = new RateLimiter(64); // 64 KB/s
        AgentStop stop = new AgentStop();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            limiter.acquire(1 << 20, stop); // the first read is free; it reserves the next 16 s
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    limiter.acquire(1 << 20, stop); // waits those 16 s, unless stopped
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(200);
            assertFalse(second.isDone(), "the second read waits for its share of the budget");
            stop.request("the coordinator's session ended");
            second.get(5, TimeUnit.SECONDS); // well before the 16 s the budget asked for
            assertTrue(stop.requested());
        });
    }

    @Test
    void withoutAStopTheReadWaitsForItsShare() throws Exception {
        RateLimiter limiter = new RateLimiter(1024); // 1 MB/s
        AgentStop stop = AgentStop.never();
        limiter.acquire(512 * 1024, stop);
        long start = System.nanoTime();
        limiter.acquire(512 * 1024, stop);
        long waited = System.nanoTime() - start;
        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(400), "waited " + waited / 1_000_000 + " ms for 512 KB at 1 MB/s");
    }
}
