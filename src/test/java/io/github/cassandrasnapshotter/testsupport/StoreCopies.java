package io.github.cassandrasnapshotter.testsupport;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a backup report's host lines say was stored without being sent from the node, summed over the
 * hosts: each line ends "(&lt;size&gt; sent, &lt;n&gt; files &lt;size&gt; referenced, &lt;n&gt; files
 * &lt;size&gt; copied in the store)". Sizes are read back from their human form (one decimal), so the
 * byte counts are approximate.
 */
public record StoreCopies(int files, long bytes, int referencedFiles, long referencedBytes) {
    private static final String SIZE = "(\\d+(?:\\.\\d+)?) (B|KiB|MiB|GiB|TiB|PiB)";
    private static final Pattern HOST_LINE = Pattern.compile(
            "\\(\\S+ \\S+ sent, (\\d+) files " + SIZE + " referenced, (\\d+) files " + SIZE + " copied in the store\\)");
    private static final List<String> UNITS = List.of("B", "KiB", "MiB", "GiB", "TiB", "PiB");

    /** @throws AssertionError if the report has no host line */
    public static StoreCopies in(String report) {
        Matcher m = HOST_LINE.matcher(report);
        int files = 0;
        long bytes = 0;
        int referencedFiles = 0;
        long referencedBytes = 0;
        boolean found = false;
        while (m.find()) {
            found = true;
            referencedFiles += Integer.parseInt(m.group(1));
            referencedBytes += bytes(m.group(2), m.group(3));
            files += Integer.parseInt(m.group(4));
            bytes += bytes(m.group(5), m.group(6));
        }
        if (!found) {
            throw new AssertionError("no host line with what was referenced and copied in the store in:\n" + report);
        }
        return new StoreCopies(files, bytes, referencedFiles, referencedBytes);
    }

    private static long bytes(String number, String unit) {
        return (long) (Double.parseDouble(number) * Math.pow(1024, UNITS.indexOf(unit)));
    }
}
