package io.github.cassandrasnapshotter.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every measurement by name, their medians, the ratios and the targets, as text and as RESULTS.md. */
final class Results {
    private static final double MB = 1024 * 1024;
    private static final double GB = 1024 * MB;

    private final int runs;
    private final long sstableBytes;
    private final long bigBytes;
    private final Map<String, List<ProcessMeter.Measurement>> measurements = new LinkedHashMap<>();
    private final Map<String, Long> sourceBytes = new LinkedHashMap<>();
    private final Map<String, Long> sentBytes = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Results(int runs, long sstableBytes, long bigBytes) {
        this.runs = runs;
        this.sstableBytes = sstableBytes;
        this.bigBytes = bigBytes;
    }

    long sourceBytes() {
        return sstableBytes + bigBytes;
    }

    long bigBytes() {
        return bigBytes;
    }

    void add(String name, long bytes, ProcessMeter.Measurement measurement) {
        measurements.computeIfAbsent(name, n -> new ArrayList<>()).add(measurement);
        sourceBytes.put(name, bytes);
        System.out.printf(Locale.ROOT, "[bench]   %-38s %7.2f s%s%n", name, measurement.wallSeconds(),
                Double.isNaN(measurement.cpuSeconds()) ? "" : String.format(Locale.ROOT, "  %6.1f CPU s  %5.0f MB peak RSS",
                        measurement.cpuSeconds(), measurement.peakRssBytes() / MB));
    }

    /** Bytes the measurement sent to the store (the same in every run of it). */
    void sent(String name, long bytes) {
        sentBytes.put(name, bytes);
    }

    /** MB/s of request bytes into the store. */
    private double sentRate(String name) {
        return sentBytes.get(name) / MB / wall(name);
    }

    void note(String note) {
        notes.add(note);
    }

    private double wall(String name) {
        return median(measurements.get(name).stream().mapToDouble(ProcessMeter.Measurement::wallSeconds).toArray());
    }

    private double throughput(String name) {
        return sourceBytes.get(name) / MB / wall(name);
    }

    private double cpuPerGb(String name) {
        return median(measurements.get(name).stream().mapToDouble(m -> m.cpuSeconds() / (sourceBytes.get(name) / GB)).toArray());
    }

    private double peakRssMb(String name) {
        return measurements.get(name).stream().mapToLong(ProcessMeter.Measurement::peakRssBytes).max().orElse(0) / MB;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add("| measurement | source | wall (median) | source MB/s | sent to the store | sent MB/s | CPU s per GB | peak RSS |");
        lines.add("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (String name : measurements.keySet()) {
            long bytes = sourceBytes.get(name);
            boolean timed = bytes > 0;
            boolean cpu = !Double.isNaN(measurements.get(name).get(0).cpuSeconds());
            boolean sent = sentBytes.containsKey(name);
            lines.add(String.format(Locale.ROOT, "| %s | %s | %.2f s | %s | %s | %s | %s | %s |", name,
                    timed ? String.format(Locale.ROOT, "%.0f MB", bytes / MB) : "-", wall(name),
                    timed ? String.format(Locale.ROOT, "%.0f", throughput(name)) : "-",
                    sent ? String.format(Locale.ROOT, "%.0f MB", sentBytes.get(name) / MB) : "-",
                    sent ? String.format(Locale.ROOT, "%.0f", sentRate(name)) : "-",
                    cpu && timed ? String.format(Locale.ROOT, "%.2f", cpuPerGb(name)) : "-",
                    cpu ? String.format(Locale.ROOT, "%.0f MB", peakRssMb(name)) : "-"));
        }
        return lines;
    }

    /** The targets whose measurements this run has. */
    private List<String> targets() {
        List<String> lines = new ArrayList<>();
        // The limit, in source bytes: the time the store takes to ingest the same compressed bytes.
        if (has("backup lzo", "store ingest limit")) {
            target(lines, "backup (lzo) >= 0.9 x store ingest limit (source bytes per second)",
                    throughput("backup lzo") / throughput("store ingest limit"), 0.9, true);
        }
        if (has("backup lzo", "old way")) {
            target(lines, "backup (lzo) >= old way's throughput", throughput("backup lzo") / throughput("old way"), 1.0, true);
            target(lines, "backup CPU s/GB <= old way's", cpuPerGb("backup lzo") / cpuPerGb("old way"), 1.0, false);
        }
        if (has("backup lzo, 25 MB/s per connection", "old way, 25 MB/s per connection")) {
            target(lines, "25 MB/s per connection: >= 2 x old way's throughput",
                    throughput("backup lzo, 25 MB/s per connection") / throughput("old way, 25 MB/s per connection"), 2.0, true);
        }
        // none sends every source byte; the store's limit is in bytes it takes in per second.
        if (has("backup none", "store ingest limit")) {
            target(lines, "--compression none >= 0.9 x store ingest limit (bytes sent per second)",
                    sentRate("backup none") / sentRate("store ingest limit"), 0.9, true);
        }
        if (has("agent alone, 5 GB file")) {
            double rss = peakRssMb("agent alone, 5 GB file");
            lines.add(String.format(Locale.ROOT, "- %s agent peak RSS on the 5 GB file (default settings) <= 256 MB: %.0f MB",
                    rss <= 256 ? "MET" : "MISSED", rss));
        }
        if (has("backup lzo", "differential --new-snapshot")) {
            target(lines, "differential re-backup >= 5 x faster than the first backup",
                    wall("backup lzo") / wall("differential --new-snapshot"), 5.0, true);
        }
        if (has("differential --new-snapshot", "incremental run, nothing new")) {
            target(lines, "differential re-backup (references) takes no longer than a run's fixed cost (an incremental "
                    + "run that finds nothing new)", wall("differential --new-snapshot") / wall("incremental run, nothing new"),
                    1.0, false);
        }
        if (has("differential --new-snapshot --self-contained", "store copy limit")) {
            lines.add(String.format(Locale.ROOT, "- (no target) self-contained differential re-backup against the store's "
                    + "copy limit: ratio %.2f", wall("store copy limit") / wall("differential --new-snapshot --self-contained")));
        }
        // No differential is faster than the store's own copies: what is left of 5x for everything else.
        if (has("backup lzo", "store copy limit", "store ingest limit")) {
            double copies = wall("store copy limit");
            lines.add(String.format(Locale.ROOT, "- (no target) the store's bound on the differential: first backup / store copy "
                            + "limit %.2f, leaving %.2f s above the copies for a 5 x differential's start and finish; "
                            + "store ingest limit / store copy limit %.2f",
                    wall("backup lzo") / copies, wall("backup lzo") / 5 - copies, wall("store ingest limit") / copies));
        }
        if (has("backup lzo, not encrypted", "backup lzo, encrypted")) {
            target(lines, "encrypted backup CPU s/GB <= 1.15 x not encrypted (same rounds)",
                    cpuPerGb("backup lzo, encrypted") / cpuPerGb("backup lzo, not encrypted"), 1.15, false);
        }
        if (has("restore lzo, not encrypted", "restore lzo, encrypted")) {
            target(lines, "encrypted restore CPU s/GB <= 1.15 x not encrypted (same rounds)",
                    cpuPerGb("restore lzo, encrypted") / cpuPerGb("restore lzo, not encrypted"), 1.15, false);
        }
        if (has("list, 1000 snapshots")) {
            double list = wall("list, 1000 snapshots");
            lines.add(String.format(Locale.ROOT, "- %s list over 1,000 snapshots < 2 s: %.2f s", list < 2 ? "MET" : "MISSED", list));
        }
        return lines;
    }

    private boolean has(String... names) {
        for (String name : names) {
            if (!measurements.containsKey(name)) {
                return false;
            }
        }
        return true;
    }

    private static void target(List<String> lines, String what, double ratio, double bound, boolean atLeast) {
        boolean met = atLeast ? ratio >= bound : ratio <= bound;
        lines.add(String.format(Locale.ROOT, "- %s %s: ratio %.2f", met ? "MET" : "MISSED", what, ratio));
    }

    void print(PrintStream out) {
        out.println();
        table().forEach(out::println);
        out.println();
        targets().forEach(out::println);
        notes.forEach(n -> out.println("- " + n));
    }

    void write(Path file) throws IOException {
        if (!measurements.containsKey("backup lzo")) {
            return;
        }
        List<String> section = new ArrayList<>();
        section.add("## " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
        section.add("");
        section.add("Machine: " + machine() + ". Data: " + String.format(Locale.ROOT, "%.0f MB", sstableBytes / MB)
                + " of SSTables written by Cassandra 5.0.9 (events_lz4 with LZ4, events_plain uncompressed) and one file of "
                + String.format(Locale.ROOT, "%.0f MB", bigBytes / MB) + ". S3Proxy 4.1.0 (filesystem store) on loopback. "
                + "Medians of " + runs + " runs; wall times include the JVM start of each command. CPU is user + sys of "
                + "the measured process and its children; peak RSS is the largest process's VmHWM.");
        section.add("");
        section.addAll(table());
        section.add("");
        section.add("Targets:");
        section.add("");
        section.addAll(targets());
        notes.forEach(n -> section.add("- " + n));
        section.add("");
        String previous = Files.exists(file) ? Files.readString(file) : "";
        String header = "# Benchmark results\n\nNewest first; `bench/run` adds a section at the top.\n\n";
        String older = previous.startsWith(header) ? previous.substring(header.length()) : previous;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, header + String.join("\n", section) + "\n" + older);
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + String.format(Locale.ROOT, "%.0f GiB", memory / GB) + " RAM, Java " + System.getProperty("java.version");
    }
}
