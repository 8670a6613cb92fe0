package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import io.github.cassandrasnapshotter.embed.RouteBeans;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.ssh.SshComponentSetup;
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
            CamelRun run = camelRun(request, s3, processes, sshClients, progress, json);
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

    /** The backup routes with every bean they use: for one run, and for the daemon's scheduled runs. */
    static CamelRun camelRun(BackupRequest request, S3Client s3, NodeProcesses processes, SshClients sshClients,
                             ProgressReporter progress, ObjectMapper json) {
        MeterRegistry registry = MetricsRegistry.jmx();
        RouteBeans beans = new RouteBeans(s3, json)
                .nodes(processes, request.nodes().nodeCommandTimeout(), progress)
                .backup(sshClients, registry, progress);
        return new CamelRun()
                .onStop(beans.agents()::cancel)
                .routes("backup", "node")
                .property("snapshotter.sshport", String.valueOf(request.nodes().ssh().port()))
                .property("camel.threadpool.config[snapshotterHostPool].pool-size", String.valueOf(request.upload().connectionPoolSize()))
                .property("camel.threadpool.config[snapshotterHostPool].max-pool-size", String.valueOf(request.upload().connectionPoolSize()))
                .bindAll(beans)
                .bind("metricsRegistry", registry)
                .configure(context -> {
                    // Only for hosts over SSH: setting up camel-ssh costs a local-only run a third of a second.
                    if (!request.selection().hosts().stream().allMatch(request::isLocal)) {
                        SshComponentSetup.configure(context, sshClients, request.nodes().ssh());
                    }
                    // Camel's own per-route meters, in the same registry as ours.
                    context.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
                });
    }
}
