package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.camel.NodeConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.BucketCheck;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;

/**
 * Runs one backup: binds the beans the backup routes use, sends the request to
 * {@code direct:snapshotter-backup}, prints the summary and returns the exit status.
 */
final class BackupRunner {
    private final PrintStream out;
    private final PrintStream err;

    BackupRunner(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(BackupRequest request) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ProgressReporter progress = new ProgressReporter(err, request.quiet());
        SshClients sshClients = new SshClients(request.nodes().ssh());
        Exchange done;
        try (S3Client s3 = S3ClientFactory.create(request.s3(), 4);
             NodeProcesses processes = new NodeProcesses(sshClients)) {
            BucketCheck.check(s3, request.s3());
            CamelRun run = new CamelRun(setup(request, s3, processes, sshClients, progress, json).build());
            try {
                done = run.send("direct:snapshotter-backup", request);
                return new BackupReport(out).print(done.getProperty("plan", BackupPlan.class),
                        done.getMessage().getBody() instanceof BackupOutcome outcome ? outcome : null,
                        done.getException());
            } finally {
                out.flush();
                run.done();
            }
        }
    }

    /** The backup routes and every bean they use, for one run and for the daemon's scheduled runs ({@code schedule} adds its group). */
    static CamelSetup.Builder setup(BackupRequest request, S3Client s3, NodeProcesses processes, SshClients sshClients,
                                    ProgressReporter progress, ObjectMapper json) {
        MeterRegistry registry = MetricsRegistry.jmx();
        NodeConnections nodes = new NodeConnections(sshClients, processes, request.nodes().ssh(), request.nodes().nodeCommandTimeout(),
                !request.selection().hosts().stream().allMatch(request::isLocal));
        return CamelSetup.builder(s3, json, progress)
                .backup(nodes, registry)
                .routeMeters(registry)
                .hostsAtOnce(request.upload().connectionPoolSize());
    }
}
