package io.github.cassandrasnapshotter.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.testsupport.BackupArgs;
import io.github.cassandrasnapshotter.testsupport.S3MockServer;
import io.github.cassandrasnapshotter.testsupport.S3Objects;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import io.github.cassandrasnapshotter.testsupport.SshKeys;
import io.github.cassandrasnapshotter.testsupport.TempFolders;
import io.github.cassandrasnapshotter.testsupport.TestCluster;
import io.github.cassandrasnapshotter.testsupport.TestSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lifecycle rule that expires objects by age would take a referenced object from every newer snapshot
 * that names it: a backup under such a rule copies instead (self-contained snapshots) and says why, and
 * one whose base path no rule covers refers. Against S3Mock, which stores a bucket's lifecycle
 * configuration (S3Proxy answers 501 to it), with the nodetool stand-in over SSH.
 */
class LifecycleRuleIT {
    @RegisterExtension
    static final SshKeys SSH = new SshKeys();
    static final String BUCKET = "lifecycle";
    static final String HOST = "127.0.0.1";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path serverDir;
    static S3MockServer server;
    static S3Client s3;
    static S3Objects objects;
    static TestSshServer.Keys keys;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        serverDir = Files.createTempDirectory("s3mock-");
        server = S3MockServer.start(serverDir);
        s3 = server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketLifecycleConfiguration(b -> b.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("expire-old-backups").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix("expiring/")).expiration(e -> e.days(30)).build())));
        objects = new S3Objects(s3, BUCKET);
        keys = SSH.keys();
    }

    @AfterAll
    static void stop() throws Exception {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
        if (serverDir != null) {
            TempFolders.deleteQuietly(serverDir);
        }
    }

    /** The first backup, then a new snapshot of the same files; the second one's output. */
    SnapshotterProcess.Result twoSnapshots(String base) throws Exception {
        try (TestCluster cluster = TestCluster.start(work, keys, HOST)) {
            cluster.node(HOST).addSampleTables();
            SnapshotterProcess.Result first = SnapshotterProcess.run(work,
                    BackupArgs.backup(server, BUCKET, base, cluster, keys), S3ProxyServer.AWS_ENV);
            assertEquals(0, first.exitStatus(), first.all());
            Thread.sleep(1100);
            SnapshotterProcess.Result second = SnapshotterProcess.run(work,
                    BackupArgs.backup(server, BUCKET, base, cluster, keys, "--new-snapshot"), S3ProxyServer.AWS_ENV);
            assertEquals(0, second.exitStatus(), second.all());
            return second;
        }
    }

    static List<String> actions(String base) throws Exception {
        String snapshot = objects.snapshots(base).last();
        List<String> actions = new ArrayList<>();
        JsonNode list = JSON.readTree(objects.text(base + "/" + snapshot + "/_runs/" + snapshot + "/" + HOST + ".json"));
        list.get("files").forEach(f -> actions.add(f.get("action").asText()));
        return actions;
    }

    @Test
    void underARuleThatExpiresTheBasePathEachSnapshotStoresItsOwnCopiesAndSaysWhy() throws Exception {
        SnapshotterProcess.Result second = twoSnapshots("expiring/cluster");
        List<String> actions = actions("expiring/cluster");
        assertTrue(!actions.isEmpty() && actions.stream().allMatch("COPIED"::equals), actions.toString());
        assertTrue(second.stdout().contains("copied, not referenced: lifecycle rule 'expire-old-backups'"), second.stdout());
    }

    @Test
    void whereNoRuleCoversTheBasePathAnUnchangedFileIsNamedWhereItIsStored() throws Exception {
        SnapshotterProcess.Result second = twoSnapshots("kept/cluster");
        List<String> actions = actions("kept/cluster");
        assertTrue(!actions.isEmpty() && actions.stream().allMatch("REFERENCED"::equals), actions.toString());
        assertTrue(!second.stdout().contains("copied, not referenced"), second.stdout());
    }
}
