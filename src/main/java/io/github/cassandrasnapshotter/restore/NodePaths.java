package io.github.cassandrasnapshotter.restore;

import java.util.Optional;

/**
 * Reads a node path as Cassandra lays its data out:
 * {@code .../<keyspace>/<table-dir>/snapshots/<tag>/<name>} or {@code .../<keyspace>/<table-dir>/backups/<name>},
 * where {@code <name>} may sit in a secondary index folder ({@code .<index>/<file>}).
 */
final class NodePaths {
    record Parts(String keyspace, String tableDirectory, String name) {
    }

    private NodePaths() {
    }

    /**
     * The node path in an old-tool data key, given the part after {@code <snapshot>/<host>/}: 1.0.x
     * wrote {@code <host>//var/...}, 1.2.0 {@code <host>/var/...}; both become {@code /var/...}.
     */
    static String legacyNodePath(String afterHost) {
        String path = "/" + afterHost.replaceFirst("^/+", "");
        return path.endsWith(".lzo") ? path.substring(0, path.length() - ".lzo".length()) : path;
    }

    static Optional<Parts> parse(String path) {
        String[] segments = path.split("/+");
        for (int i = segments.length - 2; i >= 2; i--) {
            boolean snapshot = segments[i].equals("snapshots") && i + 2 < segments.length;
            boolean backups = segments[i].equals("backups");
            if (snapshot || backups) {
                int first = snapshot ? i + 2 : i + 1;
                String name = String.join("/", java.util.Arrays.copyOfRange(segments, first, segments.length));
                return Optional.of(new Parts(segments[i - 2], segments[i - 1], name));
            }
        }
        return Optional.empty();
    }
}
