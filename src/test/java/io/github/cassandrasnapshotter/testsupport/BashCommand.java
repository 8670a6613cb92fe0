package io.github.cassandrasnapshotter.testsupport;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Runs an SSH exec request with a real bash, in the test host's folder, streaming all three pipes. When
 * the channel closes (the client stopped, was killed, or its connection dropped) it does what OpenSSH's
 * sshd does to a command started without a pty: no signal; its stdin reaches EOF, and its writes to
 * stdout and stderr fail (EPIPE). A command that ignores both runs on, and the test sees it.
 */
final class BashCommand implements Command {
    private final String command;
    private final Path workingDirectory;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    private final java.util.function.Consumer<Process> started;
    private final java.util.function.BooleanSupplier cut;
    private final OutputStream stderrCopy;

    /**
     * @param cut        while true, nothing passes between the channel and the command: a network that dropped
     * @param stderrCopy gets all the command writes on stderr, whether or not the client reads it
     */
    BashCommand(String command, Path workingDirectory, java.util.function.Consumer<Process> started,
                java.util.function.BooleanSupplier cut, OutputStream stderrCopy) {
        this.command = command;
        this.workingDirectory = workingDirectory;
        this.started = started;
        this.cut = cut;
        this.stderrCopy = stderrCopy;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        process = new ProcessBuilder("bash", "-c", command).directory(workingDirectory.toFile()).start();
        started.accept(process);
        Thread stdin = pump(in, process.getOutputStream(), true, null, "stdin");
        Thread stdout = pump(process.getInputStream(), out, false, null, "stdout");
        Thread stderr = pump(process.getErrorStream(), err, false, stderrCopy, "stderr");
        Thread waiter = new Thread(() -> {
            try {
                int status = process.waitFor();
                stdout.join();
                stderr.join();
                stdin.interrupt();
                exit.onExit(status);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit.onExit(255);
            }
        }, "ssh-test-wait");
        waiter.setDaemon(true);
        waiter.start();
    }

    private Thread pump(InputStream from, OutputStream to, boolean closeWhenDone, OutputStream copy, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    if (copy != null) {
                        synchronized (copy) {
                            copy.write(buffer, 0, n);
                        }
                    }
                    if (cut.getAsBoolean()) {
                        continue; // lost on the way, and nobody learns of it
                    }
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the other side went away: the channel is closed
            } finally {
                // stdin: the command reads EOF. stdout, stderr: no one reads them any more, so the command's
                // next write fails with EPIPE (as it does under OpenSSH), instead of blocking on a full pipe.
                closeQuietly(closeWhenDone ? to : from);
            }
        }, "ssh-test-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void closeQuietly(java.io.Closeable stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    /** The channel closed: no signal to the command (OpenSSH sends none); only its pipes are closed. */
    @Override
    public void destroy(ChannelSession channel) {
        if (process != null) {
            closeQuietly(process.getOutputStream());
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
        }
    }
}
