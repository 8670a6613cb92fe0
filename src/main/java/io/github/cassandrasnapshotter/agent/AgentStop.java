package io.github.cassandrasnapshotter.agent;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The node agent's "stop now": set when its session with the coordinator ends (stdin reaches EOF, a
 * write to stdout fails) or when the agent is stopped in-process. From then on the agent starts no
 * file, ends the uploads it has (aborting them) and removes no further link (docs/design.md, "An agent lives
 * no longer than its session": OpenSSH does not signal a command without a pty when its channel closes).
 */
public final class AgentStop {
    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String reason;

    /** A stop no one requests: for agents whose life is the caller's (tests, a local run in-process). */
    public static AgentStop never() {
        return new AgentStop();
    }

    /** Asks the agent to stop; the first reason is kept. Returns whether this call was the first. */
    public synchronized boolean request(String why) {
        if (reason != null) {
            return false;
        }
        reason = why;
        requested.countDown();
        return true;
    }

    /**
     * Waits {@code nanos}, or less if a stop is requested meanwhile: a wait of the agent's own (the rate
     * limiter's) must not keep a stopped agent running. Returns whether a stop was requested.
     */
    public boolean awaitStop(long nanos) throws InterruptedException {
        return requested.await(nanos, TimeUnit.NANOSECONDS);
    }

    public boolean requested() {
        return reason != null;
    }

    /** Why the agent stops, or null while it runs on. */
    public String reason() {
        return reason;
    }

    /** Throws when a stop was requested: what was being done is not finished and can be done again. */
    public void check(String doing) throws StoppedException {
        String why = reason;
        if (why != null) {
            throw new StoppedException("stopped " + doing + ": " + why);
        }
    }

    /** Work given up because the agent was asked to stop; a later run does it again. */
    public static final class StoppedException extends UploadException {
        StoppedException(String message) {
            super(message, false, null);
        }
    }
}
