package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.NodeAccess;
import io.github.cassandrasnapshotter.backup.ProgressReporter;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.embed.RouteBeans;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshComponentSetup;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.util.function.ToIntFunction;

/** Runs the restore routes ({@code direct:snapshotter-restore}, {@code direct:snapshotter-verify}) with the beans they use. */
final class RestoreRunner {
    private final PrintStream err;

    RestoreRunner(PrintStream err) {
        this.err = err;
    }

    /**
     * Sends the request to {@code endpoint} and reports the result; a stop (SIGTERM) during the run
     * waits for the report before the JVM exits.
     */
    int run(String endpoint, RestoreRequest request, boolean deep, ToIntFunction<Exchange> report) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ProgressReporter progress = new ProgressReporter(err, request.quiet(), "to download");
        int threads = request.downloadThreads();
        try (S3Client s3 = S3ClientFactory.create(request.s3(), threads + 4)) {
            RouteBeans beans = new RouteBeans(s3, json).restore(request.s3().bucket(), progress);
            CamelRun run = new CamelRun()
                    .property("camel.threadpool.config[snapshotterDownloadPool].pool-size", String.valueOf(threads))
                    .property("camel.threadpool.config[snapshotterDownloadPool].max-pool-size", String.valueOf(threads))
                    .header("snapshotterDeep", deep);
            NodeAccess access = request.inPlace();
            if (access == null) {
                return reported(run.bindAll(beans).routes("restore"), endpoint, request, report);
            }
            SshClients sshClients = new SshClients(access.ssh());
            try (NodeProcesses processes = new NodeProcesses(sshClients)) {
                beans.nodes(processes, access.nodeCommandTimeout(), progress);
                run.routes("restore", "restore-in-place", "node")
                        .onStop(beans.agents()::cancel)
                        .property("snapshotter.s3.bucket", request.s3().bucket())
                        .property("snapshotter.sshport", String.valueOf(access.ssh().port()))
                        .bindAll(beans)
                        .configure(context -> SshComponentSetup.configure(context, sshClients, access.ssh()));
                return reported(run, endpoint, request, report);
            }
        }
    }

    private static int reported(CamelRun run, String endpoint, RestoreRequest request, ToIntFunction<Exchange> report)
            throws Exception {
        try {
            return report.applyAsInt(run.send(endpoint, request));
        } finally {
            System.out.flush();
            run.done();
        }
    }
}
