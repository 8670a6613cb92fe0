package io.github.cassandrasnapshotter.node;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node's Cassandra release, as {@code nodetool version} prints it ({@code ReleaseVersion: 4.1.3}). */
public record CassandraVersion(int major, int minor) {
    private static final Pattern RELEASE = Pattern.compile("(?m)^\\s*ReleaseVersion:\\s*(\\d+)\\.(\\d+)");

    /** The version in {@code nodetool version}'s output; empty when it names none. */
    public static Optional<CassandraVersion> parse(String nodetoolVersionOutput) {
        if (nodetoolVersionOutput == null) {
            return Optional.empty();
        }
        Matcher m = RELEASE.matcher(nodetoolVersionOutput);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new CassandraVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }

    /** {@code nodetool snapshot --ttl} exists from Cassandra 4.1; older nodetools reject the option. */
    public boolean hasSnapshotTtl() {
        return major > 4 || (major == 4 && minor >= 1);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
