package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.camel.NodeConnections;
import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.restore.RestoreOutcome;
import io.github.cassandrasnapshotter.restore.RestorePlan;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.BucketCheck;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;

/** Runs the restore routes ({@code direct:snapshotter-restore}, {@code direct:snapshotter-verify}) with the beans they use. */
final class RestoreRunner {
    private final PrintStream out;
    private final PrintStream err;

    /** What a command prints of a run that got as far as its files, and its exit status. */
    interface Reporter {
        int report(RestoreReport report, RestorePlan plan, RestoreOutcome outcome);
    }

    RestoreRunner(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Sends the request to {@code endpoint} and reports the result: a run that failed before its files
     * (no such snapshot, the store unreachable) in one line, otherwise by {@code reporter}. A stop
     * (SIGTERM) during the run waits for the report before the JVM exits.
     */
    int run(String endpoint, RestoreRequest request, boolean deep, Reporter reporter) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ProgressReporter progress = new ProgressReporter(err, request.quiet(), "to download");
        int threads = request.downloadThreads();
        try (S3Client s3 = S3ClientFactory.create(request.s3(),
                FileDownloader.connections(threads, request.connectionsPerFile()))) {
            BucketCheck.check(s3, request.s3());
            CamelSetup.Builder setup = CamelSetup.builder(s3, json, progress)
                    .restore(request.s3())
                    .downloadThreads(threads);
            NodeAccess access = request.inPlace();
            if (access == null) {
                return reported(new CamelRun(setup.build()).header("snapshotterDeep", deep), endpoint, request, reporter);
            }
            SshClients sshClients = new SshClients(access.ssh());
            try (NodeProcesses processes = new NodeProcesses(sshClients)) {
                setup.restoreInPlace(new NodeConnections(sshClients, processes, access.ssh(),
                        access.nodeCommandTimeout(), true));
                return reported(new CamelRun(setup.build()).header("snapshotterDeep", deep), endpoint, request, reporter);
            }
        }
    }

    private int reported(CamelRun run, String endpoint, RestoreRequest request, Reporter reporter) throws Exception {
        try {
            Exchange done = run.send(endpoint, request);
            RestoreReport report = new RestoreReport(out, err);
            int early = report.failedBeforeFiles(done);
            if (early >= 0) {
                return early;
            }
            return reporter.report(report, done.getProperty("plan", RestorePlan.class),
                    done.getMessage().getBody(RestoreOutcome.class));
        } finally {
            System.out.flush();
            run.done();
        }
    }
}
