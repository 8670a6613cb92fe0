package io.github.cassandrasnapshotter.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the built jar as an operator would, in its own JVM, and keeps what it printed. */
public final class SnapshotterProcess {
    private SnapshotterProcess() {
    }

    public record Result(int exitStatus, String stdout, String stderr) {
        public String all() {
            return stdout + stderr;
        }
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("snapshotter.jar", "target/cassandra-snapshotter-all.jar"));
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package' (mvn verify)");
        }
        return jar.toAbsolutePath();
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The {@code --agent-command} that starts this build's agent on a test host, with a small heap. */
    public static String agentCommand(String maxHeap) {
        return java() + " -Xmx" + maxHeap + " -jar " + jar();
    }

    public static Result run(Path workDir, List<String> args) throws IOException, InterruptedException {
        return run(workDir, args, java.util.Map.of());
    }

    public static Result run(Path workDir, List<String> args, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(args);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("cassandra-snapshotter did not finish in 10 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The tool started in the background (a daemon, a run to be stopped), stdout and stderr to {@code output}. */
    public static Process start(Path workDir, List<String> args, java.util.Map<String, String> env, Path output)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        return builder.start();
    }

    /**
     * Sends SIGTERM, as an operator's kill or a service manager's stop does, and waits for the
     * process to end; returns how long it took. Kills it and fails when it outlives {@code limit}.
     */
    public static java.time.Duration stop(Process process, java.time.Duration limit) throws InterruptedException {
        java.time.Instant asked = java.time.Instant.now();
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running " + limit.toSeconds() + " s after SIGTERM");
        }
        return java.time.Duration.between(asked, java.time.Instant.now());
    }
}
