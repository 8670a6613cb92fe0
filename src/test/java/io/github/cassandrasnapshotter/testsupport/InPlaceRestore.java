package io.github.cassandrasnapshotter.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A table of a stand-in node lost and restored in place: what the in-place restore tests do. */
public final class InPlaceRestore {
    private InPlaceRestore() {
    }

    /** Deletes the table's live files, as a lost table; its snapshots/ and backups/ folders stay. */
    public static void emptyTable(TestNode node, String keyspace, String tableDirectory) throws IOException {
        try (Stream<Path> lost = Files.list(node.dataDir().resolve(keyspace).resolve(tableDirectory))) {
            for (Path file : lost.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }
    }

    /** {@code restore} flags of the table, {@code --in-place}, then how to reach the nodes ({@link BackupArgs}). */
    public static String[] flags(String keyspace, String tableDirectory, List<String> nodeAccess) {
        List<String> flags = new ArrayList<>(List.of("--keyspace", keyspace, "--table",
                tableDirectory.replaceFirst("-[0-9a-f]{32}$", ""), "--in-place"));
        flags.addAll(nodeAccess);
        return flags.toArray(String[]::new);
    }
}
