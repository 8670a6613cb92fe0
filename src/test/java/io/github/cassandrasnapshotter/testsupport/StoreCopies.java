package io.github.cassandrasnapshotter.testsupport;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a backup report's host lines say was copied in the store rather than sent from the node,
 * summed over the hosts: each line ends "(&lt;size&gt; sent, &lt;n&gt; files &lt;size&gt; copied in the store)".
 * Sizes are read back from their human form (one decimal), so {@link #bytes} is approximate.
 */
public record StoreCopies(int files, long bytes) {
    private static final Pattern HOST_LINE = Pattern.compile(
            "\\(\\S+ \\S+ sent, (\\d+) files (\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB|PiB) copied in the store\\)");
    private static final List<String> UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB");

    /** @throws AssertionError if the report has no host line */
    public static StoreCopies in(String report) {
        Matcher m = HOST_LINE.matcher(report);
        int files = 0;
        long bytes = 0;
        boolean found = false;
        while (m.find()) {
            found = true;
            files += Integer.parseInt(m.group(1));
            bytes += (long) (Double.parseDouble(m.group(2)) * Math.pow(1024, UNITS.indexOf(m.group(3))));
        }
        if (!found) {
            throw new AssertionError("no host line with what was copied in the store in:\n" + report);
        }
        return new StoreCopies(files, bytes);
    }
}
