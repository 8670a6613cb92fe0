package io.github.cassandrasnapshotter.node;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a node command on this machine (local mode, {@code --hosts localhost}) and answers with the
 * same body and headers as camel-ssh, so the rest of the route does not care where it ran.
 */
public final class LocalShell {
    /** The command's output may hold what nodetool prints: only this user reads it. */
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private final NodeShell shell;

    public LocalShell(NodeShell shell) {
        this.shell = shell;
    }

    @SuppressWarnings("unchecked")
    public void run(Exchange exchange) throws IOException, InterruptedException {
        Message message = exchange.getMessage();
        List<String> argv = message.getBody(List.class);
        File stdout = Files.createTempFile("snapshotter-out", ".txt", PRIVATE).toFile();
        File stderr = Files.createTempFile("snapshotter-err", ".txt", PRIVATE).toFile();
        try {
            Process process = new ProcessBuilder(argv).redirectOutput(stdout).redirectError(stderr)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            Integer exit;
            if (process.waitFor(shell.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                exit = process.exitValue();
            } else {
                process.destroyForcibly();
                exit = 124;
            }
            message.setHeader(NodeShell.EXIT_VALUE, exit);
            message.setHeader(NodeShell.STDERR, Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
            message.setBody(Files.readString(stdout.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            message.setHeader(NodeShell.EXIT_VALUE, 127);
            message.setHeader(NodeShell.STDERR, e.getMessage());
            message.setBody("");
        } finally {
            Files.deleteIfExists(stdout.toPath());
            Files.deleteIfExists(stderr.toPath());
        }
    }
}
