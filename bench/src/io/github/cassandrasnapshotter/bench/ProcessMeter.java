package io.github.cassandrasnapshotter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child process and measures it: wall time, CPU seconds (user + sys of the
 * process and every child it waited for, from bash's {@code times}), and the peak resident set of
 * its largest process (the kernel's VmHWM, sampled every 20 ms until it exits).
 */
final class ProcessMeter {
    private ProcessMeter() {
    }

    record Measurement(double wallSeconds, double cpuSeconds, long peakRssBytes, int exitStatus, String output) {
        /** A wall time measured in this JVM (the raw SDK runs): no process, so no CPU or RSS of its own. */
        static Measurement wallOnly(double seconds) {
            return new Measurement(seconds, Double.NaN, 0, 0, "");
        }

        void check(String what) {
            if (exitStatus != 0) {
                throw new IllegalStateException(what + " failed (exit " + exitStatus + "):\n" + output);
            }
        }
    }

    /**
     * Writes out what earlier measurements left in the page cache, so that none starts while the
     * store's disk is still flushing the previous one's gigabytes (measured: the same raw upload took
     * 39 to 58 s without it).
     */
    static void settleDisk() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    static Measurement run(Path workDir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        return run(workDir, env, command, new byte[0]);
    }

    /**
     * The same, with {@code stdin} written to the process (an agent's job, one line), kept open until the
     * process ends, as the coordinator keeps an agent's stdin: an agent takes its EOF as "stop now".
     */
    static Measurement run(Path workDir, Map<String, String> env, List<String> command, byte[] stdin)
            throws IOException, InterruptedException {
        settleDisk();
        Path times = Files.createTempFile("bench-times", ".txt");
        Path output = Files.createTempFile("bench-output", ".txt");
        List<String> wrapped = new ArrayList<>(List.of("bash", "-c", "\"$@\"; s=$?; times > \"$BENCH_TIMES\"; exit $s", "bash"));
        wrapped.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(wrapped).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        builder.environment().put("BENCH_TIMES", times.toString());
        long started = System.nanoTime();
        Process process = builder.start();
        var in = process.getOutputStream();
        in.write(stdin);
        in.write('\n');
        in.flush();
        long peak = 0;
        try {
            while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                for (ProcessHandle child : process.descendants().toList()) {
                    peak = Math.max(peak, peakRss(child.pid()));
                }
            }
        } finally {
            try {
                in.close();
            } catch (IOException ended) {
                // the process is gone
            }
        }
        double wall = (System.nanoTime() - started) / 1e9;
        double cpu = childCpuSeconds(Files.readAllLines(times));
        String out = Files.readString(output);
        Files.deleteIfExists(times);
        Files.deleteIfExists(output);
        return new Measurement(wall, cpu, peak, process.exitValue(), out);
    }

    /** VmHWM of a live process, in bytes; 0 once it is gone. */
    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between the listing and the read
        }
        return 0;
    }

    /** bash's {@code times}: the shell's own user and sys, then its children's, as {@code 0m1.234s 0m0.567s}. */
    private static double childCpuSeconds(List<String> lines) {
        if (lines.size() < 2) {
            return Double.NaN;
        }
        double total = 0;
        for (String field : lines.get(1).trim().split("\\s+")) {
            int m = field.indexOf('m');
            total += Double.parseDouble(field.substring(0, m)) * 60 + Double.parseDouble(field.substring(m + 1, field.length() - 1));
        }
        return total;
    }
}
