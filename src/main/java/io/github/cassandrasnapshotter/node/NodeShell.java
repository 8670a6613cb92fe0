package io.github.cassandrasnapshotter.node;

import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Duration;
import java.util.List;

/**
 * The shell side of short node commands: the command line sent over camel-ssh, and the check of
 * what came back. camel-ssh does not bound a command's run time, so the command line carries its
 * own bound ({@code timeout(1)} on the node).
 */
public final class NodeShell {
    public static final String EXIT_VALUE = "CamelSshExitValue";
    public static final String STDERR = "CamelSshStderr";
    /** The host a node command runs on (the routes' {@code snapshotterHost} header). */
    public static final String HOST_HEADER = "snapshotterHost";
    /** What the command is, for its error message (the routes' {@code snapshotterCommand} header). */
    public static final String COMMAND_HEADER = "snapshotterCommand";

    private final Duration commandTimeout;

    public NodeShell(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public String commandLine(List<String> argv) {
        return "timeout -k 10 " + Math.max(1, commandTimeout.toSeconds()) + " " + ShellQuoting.join(argv);
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Fails the exchange with the command's own error line when it did not exit 0. */
    public void check(Exchange exchange) {
        Message message = exchange.getMessage();
        Integer exit = message.getHeader(EXIT_VALUE, Integer.class);
        String host = message.getHeader(HOST_HEADER, String.class);
        String what = message.getHeader(COMMAND_HEADER, String.class);
        if (exit == null || exit != 0) {
            String stderr = message.getHeader(STDERR, String.class);
            String reason = exit == null ? "no exit status (connection lost)"
                    : exit == 124 ? "timed out after " + commandTimeout.toSeconds() + " s"
                    : "exit status " + exit;
            throw new NodeCommandException(what + " on " + host + " failed: " + reason + Messages.lastLine(stderr));
        }
        message.setBody(message.getBody(String.class));
    }
}
