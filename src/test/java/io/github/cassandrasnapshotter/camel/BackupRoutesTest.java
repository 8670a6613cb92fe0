package io.github.cassandrasnapshotter.camel;

import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.HostResult;
import io.github.cassandrasnapshotter.embed.SnapshotterRoutes;
import io.github.cassandrasnapshotter.storage.RunLock;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.testsupport.RecordingProxy;
import io.github.cassandrasnapshotter.testsupport.RefusingProxy;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import io.github.cassandrasnapshotter.testsupport.TestNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backup routes inside this JVM, as an embedding application gets them ({@link CamelSetup} through
 * {@code SnapshotterRoutes}): a real S3 server behind a proxy that records (or refuses) what is written,
 * one stand-in node on localhost whose agent runs in this process, and failures put in with
 * {@link AdviceWith} where the store or the node cannot make them.
 *
 * <p>What they hold the routes to: manifest.json is the run's last object and is never written after a
 * failed host or a host list that could not be stored; clearsnapshot runs after a failure; the base
 * path's lock is released on every path.
 */
class BackupRoutesTest extends CamelTestSupport {
    private static final String HOST = "localhost";
    private static final AtomicInteger BASE_PATHS = new AtomicInteger();

    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("routes");

    @TempDir
    Path folder;

    private TestNode node;
    private String basePath;
    private RecordingProxy recorder;
    private RefusingProxy refuser;

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        // Each test advises the routes it breaks, then starts the context itself.
        configuration.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        node = TestNode.create(folder.resolve("node"), "127.0.0.1");
        node.addSampleTables();
        basePath = "routes-" + BASE_PATHS.incrementAndGet();
        URI store = URI.create(S3.endpoint());
        refuser = new RefusingProxy(new InetSocketAddress(store.getHost(), store.getPort()), request -> false);
        recorder = new RecordingProxy(URI.create(refuser.endpoint()).getPort());
        CamelContext context = new DefaultCamelContext();
        SnapshotterRoutes.builder()
                .globalFlags("--s3-bucket-name", S3.name(), "--s3-base-path", basePath, "--s3-endpoint", recorder.endpoint(),
                        "--aws-access-key-id", S3ProxyServer.IDENTITY, "--aws-secret-access-key", S3ProxyServer.CREDENTIAL)
                .commandFlags("backup", "--hosts", HOST, "--quiet",
                        "--nodetool-path", node.nodetool().toString(), "--cassandra-conf-path", node.confDir().toString())
                .build()
                .addTo(context);
        return context;
    }

    @AfterEach
    void closeProxies() throws Exception {
        recorder.close();
        refuser.close();
    }

    @Test
    void manifestIsTheLastObjectOfACompleteSnapshot() {
        context.start();

        Run run = backup();

        String snapshot = run.snapshot();
        assertTrue(run.complete(), "complete: " + run.outcome());
        StorageKeys keys = new StorageKeys(basePath);
        List<String> writes = recorder.requestLines();
        int manifest = indexOf(writes, "PUT /" + S3.name() + "/" + keys.manifestKey(snapshot) + " ");
        assertTrue(manifest >= 0, "manifest.json written: " + writes);
        List<String> snapshotWrites = writes.stream()
                .filter(line -> line.contains(" /" + S3.name() + "/" + keys.snapshotPrefix(snapshot))).toList();
        assertTrue(snapshotWrites.size() > 5, "data files, host list, summary and ring written: " + snapshotWrites);
        assertEquals(writes.get(manifest), snapshotWrites.get(snapshotWrites.size() - 1),
                "nothing of the snapshot is written after its manifest: " + writes);
        assertTrue(indexOf(writes, "PUT /" + S3.name() + "/" + keys.runSummaryKey(snapshot, run.plan().runId()) + " ") < manifest,
                "the run summary before the manifest: " + writes);
        assertLockReleased();
    }

    @Test
    void aFailedAgentLeavesNoManifestAndTheSnapshotIsCleared() throws Exception {
        // The node's agent fails after its snapshot was taken (as an agent that lost its node or its store).
        AdviceWith.adviceWith(context, "snapshotter-backup-host", route ->
                route.weaveByToString("Bean\\[.*backupAgents.*").replace()
                        .throwException(new IllegalStateException("the agent's SSH session was lost")));
        NotifyBuilder cleared = new NotifyBuilder(context).from("direct:snapshotter-backup")
                .wereSentTo("direct:snapshotter-clear-snapshots").whenDone(1).create();
        context.start();

        Run run = backup();

        assertFalse(run.complete(), "not complete: " + run.outcome());
        HostResult host = run.host();
        assertFalse(host.ok(), "the host failed: " + host);
        assertTrue(host.error().contains("the agent's SSH session was lost"), host.error());
        assertNoManifest(run.snapshot());
        assertTrue(cleared.matches(), "the clear-snapshots route ran");
        assertTrue(node.nodetoolCalls().stream().anyMatch(call -> call.startsWith("clearsnapshot") && call.contains(run.snapshot())),
                "clearsnapshot of the run's tag: " + node.nodetoolCalls());
        assertFalse(node.hasSnapshots(), "no snapshot left on the node");
        assertLockReleased();
    }

    @Test
    void aHostListTheStoreRefusesLeavesNoManifest() throws Exception {
        // The agent uploads every file, then the store refuses its host's file list (_runs/<run>/localhost.json).
        refuse(RefusingProxy.putsOf("/" + StorageKeys.RUNS + "/").and(line -> line.contains("/" + HOST + ".json")));
        context.start();

        Run run = backup();

        assertFalse(run.complete(), "not complete: " + run.outcome());
        assertFalse(refuser.refusedRequests().isEmpty(), "the host list was refused");
        assertFalse(run.host().ok(), "the host failed: " + run.host());
        assertNoManifest(run.snapshot());
        assertTrue(node.nodetoolCalls().stream().anyMatch(call -> call.startsWith("clearsnapshot")),
                "clearsnapshot after the failure: " + node.nodetoolCalls());
        assertLockReleased();
    }

    @Test
    void aRunSummaryTheStoreRefusesLeavesNoManifest() {
        refuse(RefusingProxy.putsOf("/" + StorageKeys.RUN_SUMMARY));
        context.start();

        Run run = backup();

        assertFalse(run.complete(), "not complete: " + run.outcome());
        assertTrue(run.host().ok(), "the host itself succeeded: " + run.host());
        assertNoManifest(run.snapshot());
        assertLockReleased();
    }

    @Test
    void theLockIsReleasedWhenPlanningFails() throws Exception {
        AdviceWith.adviceWith(context, "snapshotter-backup", route ->
                route.weaveByToString("SetProperty\\[plan,.*").replace()
                        .throwException(new IllegalStateException("the store went away while planning")));

        runFailsWith("the store went away while planning");

        assertEquals(List.of(), S3.objects().keys(basePath + "/2"), "no snapshot object");
        assertLockReleased();
    }

    @Test
    void theLockIsReleasedWhenClearingTheSnapshotsFails() throws Exception {
        AdviceWith.adviceWith(context, "snapshotter-backup", route ->
                route.weaveByToUri("direct:snapshotter-clear-snapshots").replace()
                        .throwException(new IllegalStateException("clearing failed")));

        runFailsWith("clearing failed");

        assertLockReleased();
    }

    /** Starts the advised routes and runs a backup, which fails with the advised error. */
    private void runFailsWith(String error) {
        context.start();
        Exchange done = template.send("direct:snapshotter-backup", exchange -> { });
        assertNotNull(done.getException(), "the run failed");
        assertTrue(done.getException().getMessage().contains(error), done.getException().getMessage());
    }

    /** What a run planned and how it ended. */
    private record Run(BackupPlan plan, BackupOutcome outcome) {
        String snapshot() {
            return plan.snapshot();
        }

        boolean complete() {
            return outcome.complete();
        }

        HostResult host() {
            assertEquals(1, outcome.hosts().size(), "one host: " + outcome.hosts());
            return outcome.hosts().get(0);
        }
    }

    private Run backup() {
        Exchange done = template.send("direct:snapshotter-backup", exchange -> { });
        if (done.getException() != null) {
            throw new AssertionError("the route failed", done.getException());
        }
        return new Run(done.getProperty("plan", BackupPlan.class),
                assertInstanceOf(BackupOutcome.class, done.getMessage().getBody()));
    }

    private void refuse(Predicate<String> requests) {
        refuser.refuse(requests);
    }

    private void assertNoManifest(String snapshot) {
        assertFalse(S3.objects().keys(basePath + "/").contains(new StorageKeys(basePath).manifestKey(snapshot)),
                "no manifest.json: " + S3.objects().keys(basePath + "/"));
    }

    /** Released: the lock object is gone, and a new lock can be taken at once. */
    private void assertLockReleased() {
        String lock = new StorageKeys(basePath).statusKey(RunLock.KEY);
        assertFalse(S3.objects().keys(basePath + "/").contains(lock), "lock released: " + S3.objects().keys(basePath + "/"));
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

}
