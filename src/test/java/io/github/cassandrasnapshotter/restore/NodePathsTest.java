package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading node paths out of object keys. The 1.0.x form {@code <host>//var/...} is covered here
 * rather than against a server: the AWS SDK v2 sends a "//" in a key as "/%2F", which real S3
 * decodes, while S3Proxy folds "//" into "/" and S3Mock's Tomcat answers 400 to "%2F".
 */
class NodePathsTest {
    @Test
    void bothOldKeyFormsGiveTheSameNodePath() {
        String expected = "/var/lib/cassandra/data/ks/t-0123456789abcdef0123456789abcdef/snapshots/20200101000000/nb-1-big-Data.db";
        assertEquals(expected, NodePaths.legacyNodePath(expected.substring(1) + ".lzo"), "1.2.0: <host>/var/...");
        assertEquals(expected, NodePaths.legacyNodePath("/" + expected.substring(1) + ".lzo"), "1.0.x: <host>//var/...");
        assertEquals(expected, NodePaths.legacyNodePath(expected.substring(1)), "stored without compression");
    }

    @Test
    void snapshotAndIncrementalFilesKeepKeyspaceTableFolderAndName() {
        NodePaths.Parts snapshot = NodePaths.parse(
                "/d/ks/users-0123456789abcdef0123456789abcdef/snapshots/20200101000000/.users_email_idx/nb-1-big-Data.db")
                .orElseThrow();
        assertEquals(new NodePaths.Parts("ks", "users-0123456789abcdef0123456789abcdef", ".users_email_idx/nb-1-big-Data.db"),
                snapshot);
        NodePaths.Parts incremental = NodePaths.parse("/d/ks/users/backups/nb-7-big-Index.db").orElseThrow();
        assertEquals(new NodePaths.Parts("ks", "users", "nb-7-big-Index.db"), incremental);
        assertTrue(NodePaths.parse("/d/ks/users/nb-1-big-Data.db").isEmpty(), "a live file is not a backup's");
    }

    @Test
    void theTableNameDropsItsId() {
        RestoreFile file = new RestoreFile("h", "ks", "users-0123456789abcdef0123456789abcdef", "n", "k", 1L, "s", 1);
        assertEquals("users", file.table());
        assertEquals("users", new RestoreFile("h", "ks", "users", "n", "k", 1L, "s", 1).table());
    }
}
