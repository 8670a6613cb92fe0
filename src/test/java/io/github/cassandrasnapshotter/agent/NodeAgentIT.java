package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.agent.NodeAgent;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node agent by itself, in-process, against a real S3 server. */
class NodeAgentIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("agent");
    static final String TAG = "20260101000000";
    static final String TABLE = "users-0123456789abcdef0123456789abcdef";

    @TempDir
    Path work;

    @Test
    void startsTheLargestFilesFirst() throws Exception {
        TestNode node = TestNode.create(work.resolve("node"), "h1");
        List<Long> sizes = List.of(30_000L, 700_000L, 3_000L, 250_000L, 90_000L, 1_200_000L, 12_000L);
        for (int i = 0; i < sizes.size(); i++) {
            node.addFile("ks1", TABLE, "snapshots/" + TAG + "/nb-" + (i + 1) + "-big-Data.db", sizes.get(i), i, false);
        }
        S3Settings s3 = new S3Settings(S3.name(), "order", S3Settings.DEFAULT_REGION, S3.endpoint(),
                S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL, false, null);
        // One file at a time: results then come back in the order the files were started.
        AgentJob job = new AgentJob(Version.CURRENT, "h1", TAG, TAG, FileKind.SNAPSHOT, s3, List.of(), "", List.of(),
                node.confDir().toString(), Compression.LZO, 5, 1, 2, 0, List.of(), false, true);
        List<FileResult> results = new ArrayList<>();
        int failed = NodeAgent.run(job, event -> {
            if (event.type() == AgentEvent.Type.FILE) {
                results.add(event.file());
            }
        });

        assertEquals(0, failed, results.toString());
        List<Long> order = results.stream().map(FileResult::size).toList();
        List<Long> largestFirst = new ArrayList<>(sizes);
        largestFirst.sort(Collections.reverseOrder());
        assertEquals(largestFirst, order);
        assertTrue(results.stream().allMatch(r -> r.key().startsWith("order/" + TAG + "/h1/")), results.toString());
    }
}
