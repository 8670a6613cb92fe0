package io.github.cassandrasnapshotter.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A node agent's link to its coordinator: the job on the first line of stdin, events on stdout, and
 * the rule that the agent lives no longer than that link. OpenSSH does not signal a command started
 * without a pty when its channel closes (the coordinator stopped, was killed, or the network dropped):
 * the command only sees EOF on stdin, and a failed write on stdout. The coordinator keeps stdin open
 * for the agent's whole run and sends a newline on it every few seconds, so its end, silence for
 * {@link #SILENCE} (a network that dropped), or a failed write is taken as "stop now" ({@link AgentStop}),
 * and an agent that has not ended {@link #GRACE} later is halted.
 */
public final class AgentSession {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);
    /** How long a stopped agent may take to abort its uploads and store its file list. */
    static final Duration GRACE = Duration.ofSeconds(20);
    /**
     * Once the coordinator has sent a heartbeat after the job, this long without one means the session is
     * lost: a network that drops gives no EOF until TCP gives up, many minutes later.
     */
    static final Duration SILENCE = RemoteProcess.STDIN_HEARTBEAT.multipliedBy(6);

    private final InputStream in;
    private final PrintStream out;
    private final ObjectMapper json;
    private final AgentStop stop = new AgentStop();
    private final Duration silence;
    private final Runnable halt;
    private volatile Thread interruptOnStop;
    private volatile long lastHeard;
    private volatile boolean heartbeats;

    /** @param halt ends the process {@link #GRACE} after a stop if it is still running */
    AgentSession(InputStream in, PrintStream out, ObjectMapper json, Duration silence, Runnable halt) {
        this.in = in;
        this.out = out;
        this.json = json;
        this.silence = silence;
        this.halt = halt;
    }

    public static AgentSession overStandardStreams(ObjectMapper json) {
        // Straight on the descriptor, so that a failed write shows in checkError() and is not buffered away.
        return new AgentSession(System.in, new PrintStream(new FileOutputStream(FileDescriptor.out), false,
                StandardCharsets.UTF_8), json, SILENCE, () -> Runtime.getRuntime().halt(1));
    }

    public AgentStop stop() {
        return stop;
    }

    /** The job: stdin up to its first newline (the coordinator sends nothing after it but EOF at the end). */
    public byte[] readJob() throws IOException {
        ByteArrayOutputStream job = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            job.write(b);
        }
        if (job.size() == 0) {
            throw new IOException("stdin ended before the job");
        }
        return job.toByteArray();
    }

    /**
     * Watches stdin from now on: its end, or silence for {@link #SILENCE} once heartbeats came, stops the
     * agent. {@code toInterrupt} is interrupted on a stop, for work that does not look at {@link #stop()}
     * itself; null when it does.
     */
    public void watch(Thread toInterrupt) {
        this.interruptOnStop = toInterrupt;
        lastHeard = System.nanoTime();
        Thread watcher = new Thread(() -> {
            byte[] beats = new byte[256];
            try {
                while (in.read(beats) != -1) {
                    lastHeard = System.nanoTime();
                    heartbeats = true;
                }
                stopped("the coordinator's session ended (stdin closed)");
            } catch (IOException e) {
                stopped("the coordinator's session ended (stdin: " + e.getMessage() + ")");
            }
        }, "agent-stdin-watch");
        watcher.setDaemon(true);
        watcher.start();
        Thread listener = new Thread(() -> {
            while (!stop.requested()) {
                long quiet = System.nanoTime() - lastHeard;
                if (heartbeats && quiet > silence.toNanos()) {
                    stopped("no word from the coordinator for " + TimeUnit.NANOSECONDS.toSeconds(quiet)
                            + " s: its session is lost");
                    return;
                }
                try {
                    Thread.sleep(Math.max(10, Math.min(1000, silence.toMillis() / 10)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "agent-heartbeat-watch");
        listener.setDaemon(true);
        listener.start();
    }

    /** Writes one event line; a write that fails means no one reads us any more: stop. */
    public void send(AgentEvent event) {
        String line;
        try {
            line = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an agent event that cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        boolean failed;
        synchronized (out) {
            out.print(line);
            out.print('\n');
            out.flush();
            failed = out.checkError();
        }
        if (failed) {
            stopped("cannot write to the coordinator (stdout closed)");
        }
    }

    private void stopped(String reason) {
        if (!stop.request(reason)) {
            return;
        }
        LOG.warn("stopping: {}; no further link is removed", reason);
        Thread thread = interruptOnStop;
        if (thread != null) {
            thread.interrupt();
        }
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(GRACE.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            LOG.warn("still running {} s after the stop: halting", GRACE.toSeconds());
            halt.run();
        }, "agent-halt");
        halter.setDaemon(true);
        halter.start();
    }
}
