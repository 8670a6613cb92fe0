package io.github.cassandrasnapshotter.ssh;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one long command on a node over SSH with data on its stdin, handing each stdout line to a
 * consumer as it arrives (camel-ssh would hold the whole output until the end). The run is bounded
 * by {@code maxRunTime}: a hung command is closed, not waited on forever. With a {@code session} check
 * the command's stdin stays open until it ends: a node agent takes its EOF as the end of its session
 * (OpenSSH sends no signal when the channel closes), so this process dying, or closing the channel on
 * a timeout, a stop or when the check says so, ends the agent too.
 */
public final class RemoteProcess {
    /** The last bytes of stderr kept for the error message. */
    private static final int STDERR_TAIL = 4096;

    private final SshClient client;
    private final SshSettings settings;

    public RemoteProcess(SshClient client, SshSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    public record Result(Integer exitStatus, String stderrTail, boolean timedOut) {
    }

    /**
     * @param endSession null to close the command's stdin once {@code stdin} is written; else stdin stays
     *                   open while the command runs, and the channel is closed as soon as this says {@code true}
     */
    public Result run(String host, String command, byte[] stdin, BooleanSupplier endSession, Consumer<String> stdoutLines,
                      Duration maxRunTime) throws IOException {
        Duration timeout = settings.connectTimeout();
        try (ClientSession session = client.connect(settings.user(), host, settings.port())
                .verify(timeout).getSession()) {
            if (settings.password() != null) {
                session.addPasswordIdentity(settings.password());
            }
            session.auth().verify(timeout);
            LineSplitter stdout = new LineSplitter(stdoutLines);
            TailBuffer stderr = new TailBuffer();
            try (ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(stdout);
                channel.setErr(stderr);
                channel.open().verify(timeout);
                OutputStream in = channel.getInvertedIn();
                try {
                    in.write(stdin);
                    in.flush();
                    if (endSession == null) {
                        closeQuietly(in);
                    } else {
                        heartbeat(in); // the first says "heartbeats follow": silence from now on means a lost session
                    }
                    Set<ClientChannelEvent> events = waitForEnd(channel, in, maxRunTime, endSession);
                    boolean timedOut = events.contains(ClientChannelEvent.TIMEOUT);
                    if (!timedOut && !events.contains(ClientChannelEvent.CLOSED)) {
                        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(30));
                    }
                    stdout.finish();
                    return new Result(channel.getExitStatus(), stderr.text(), timedOut);
                } finally {
                    closeQuietly(in);
                }
            }
        }
    }

    /**
     * Waits for the command's end, its run time, or (checked each second) the session's end; on a held
     * stdin, sends a heartbeat every {@link #STDIN_HEARTBEAT}.
     */
    private static Set<ClientChannelEvent> waitForEnd(ChannelExec channel, OutputStream in, Duration maxRunTime,
                                                      BooleanSupplier endNow) {
        Set<ClientChannelEvent> ended = EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS);
        if (endNow == null) {
            return channel.waitFor(ended, maxRunTime);
        }
        long deadline = System.nanoTime() + maxRunTime.toNanos();
        long nextBeat = System.nanoTime() + STDIN_HEARTBEAT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Set<ClientChannelEvent> events = channel.waitFor(ended, Duration.ofNanos(Math.max(1, Math.min(left,
                    CHECK_EVERY.toNanos()))));
            if (!events.contains(ClientChannelEvent.TIMEOUT) || left <= CHECK_EVERY.toNanos() || endNow.getAsBoolean()) {
                return events;
            }
            if (System.nanoTime() >= nextBeat) {
                heartbeat(in);
                nextBeat = System.nanoTime() + STDIN_HEARTBEAT.toNanos();
            }
        }
    }

    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    /**
     * How often a held stdin gets a newline: a node agent that has heard one and then hears nothing for
     * several of these takes its session as lost (a network that dropped sends no EOF for many minutes).
     */
    public static final Duration STDIN_HEARTBEAT = Duration.ofSeconds(5);

    private static void heartbeat(OutputStream in) {
        try {
            in.write('\n');
            in.flush();
        } catch (IOException ignored) {
            // the channel is closing: the command has, or soon gets, its EOF
        }
    }

    private static void closeQuietly(OutputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the channel is already closed: the command has its EOF
        }
    }

    /** Splits a byte stream into UTF-8 lines. */
    public static final class LineSplitter extends OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        public LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                emit();
            } else {
                current.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        public synchronized void finish() {
            if (current.size() > 0) {
                emit();
            }
        }

        private void emit() {
            String line = current.toString(StandardCharsets.UTF_8);
            current.reset();
            lines.accept(line);
        }
    }

    /** Keeps the last few KB of a stream. */
    public static final class TailBuffer extends OutputStream {
        private final byte[] ring = new byte[STDERR_TAIL];
        private long written;

        @Override
        public synchronized void write(int b) {
            ring[(int) (written++ % ring.length)] = (byte) b;
        }

        public synchronized String text() {
            int length = (int) Math.min(written, ring.length);
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = ring[(int) ((written - length + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
