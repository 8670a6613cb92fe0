package io.github.cassandrasnapshotter.node;

import io.github.cassandrasnapshotter.util.Sizes;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints progress while hosts upload (a backup) or download (a restore): per host and in total, files,
 * bytes and rate, at most every few seconds, on stderr so stdout stays for the summary. Silent with
 * {@code --quiet}.
 */
public final class ProgressReporter {
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean quiet;
    private final long startNanos = System.nanoTime();
    private final Map<String, HostProgress> hosts = new TreeMap<>();
    private long lastPrintNanos = System.nanoTime();

    private final String work;

    public ProgressReporter(PrintStream out, boolean quiet) {
        this(out, quiet, "to upload");
    }

    /** Prints nothing: for work whose progress nobody watches (list, status, an embedding application). */
    public static ProgressReporter silent() {
        return new ProgressReporter(new PrintStream(java.io.OutputStream.nullOutputStream()), true);
    }

    /** @param work what the totals are, for example "to upload" or "to download" */
    public ProgressReporter(PrintStream out, boolean quiet, String work) {
        this.out = out;
        this.quiet = quiet;
        this.work = work;
    }

    private static final class HostProgress {
        int filesTotal;
        long bytesTotal;
        int filesDone;
        long bytesDone;
    }

    /** True when nothing is printed: a daemon, an embedding application, or {@code --quiet}. */
    public boolean quiet() {
        return quiet;
    }

    public synchronized void started(String host, int filesTotal, long bytesTotal) {
        HostProgress progress = hosts.computeIfAbsent(host, h -> new HostProgress());
        progress.filesTotal = filesTotal;
        progress.bytesTotal = bytesTotal;
        line(host + ": " + filesTotal + " files, " + Sizes.human(bytesTotal) + " " + work);
    }

    public synchronized void progress(String host, int filesDone, long bytesDone) {
        HostProgress progress = hosts.computeIfAbsent(host, h -> new HostProgress());
        progress.filesDone = Math.max(progress.filesDone, filesDone);
        progress.bytesDone = Math.max(progress.bytesDone, bytesDone);
        long now = System.nanoTime();
        if (now - lastPrintNanos >= INTERVAL_NANOS) {
            lastPrintNanos = now;
            printAll(now);
        }
    }

    public synchronized void message(String text) {
        line(text);
    }

    private void printAll(long now) {
        double seconds = Math.max(0.001, (now - startNanos) / 1e9);
        int files = 0;
        int filesTotal = 0;
        long bytes = 0;
        long bytesTotal = 0;
        for (Map.Entry<String, HostProgress> entry : hosts.entrySet()) {
            HostProgress p = entry.getValue();
            line(String.format("  %s: %d/%d files, %s/%s", entry.getKey(), p.filesDone, p.filesTotal,
                    Sizes.human(p.bytesDone), Sizes.human(p.bytesTotal)));
            files += p.filesDone;
            filesTotal += p.filesTotal;
            bytes += p.bytesDone;
            bytesTotal += p.bytesTotal;
        }
        line(String.format("total: %d/%d files, %s/%s, %s/s", files, filesTotal, Sizes.human(bytes),
                Sizes.human(bytesTotal), Sizes.human((long) (bytes / seconds))));
    }

    private void line(String text) {
        if (!quiet) {
            out.println(text);
        }
    }
}
