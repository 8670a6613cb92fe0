package io.github.cassandrasnapshotter.testsupport;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** Runs an SSH exec request with a real bash, in the test host's folder, streaming all three pipes. */
final class BashCommand implements Command {
    private final String command;
    private final Path workingDirectory;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    BashCommand(String command, Path workingDirectory) {
        this.command = command;
        this.workingDirectory = workingDirectory;
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
        Thread stdin = pump(in, process.getOutputStream(), true, "stdin");
        Thread stdout = pump(process.getInputStream(), out, false, "stdout");
        Thread stderr = pump(process.getErrorStream(), err, false, "stderr");
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

    private static Thread pump(InputStream from, OutputStream to, boolean closeWhenDone, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = from.read(buffer)) > 0) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the other side went away: the command is ending
            } finally {
                if (closeWhenDone) {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
            }
        }, "ssh-test-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (process != null) {
            process.destroy();
        }
    }
}
