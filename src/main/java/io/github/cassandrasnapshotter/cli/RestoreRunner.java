package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.AgentLauncher;
import io.github.cassandrasnapshotter.backup.LocalShell;
import io.github.cassandrasnapshotter.backup.NodeAccess;
import io.github.cassandrasnapshotter.backup.NodeShell;
import io.github.cassandrasnapshotter.backup.ProgressReporter;
import io.github.cassandrasnapshotter.restore.HostRestoreAggregator;
import io.github.cassandrasnapshotter.restore.InPlaceImport;
import io.github.cassandrasnapshotter.restore.DownloadResultAggregator;
import io.github.cassandrasnapshotter.restore.FileDownloader;
import io.github.cassandrasnapshotter.restore.ObjectChecker;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.restore.RestorePlanner;
import io.github.cassandrasnapshotter.restore.SstableLoader;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import org.apache.camel.Exchange;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;

/** Runs the restore routes ({@code direct:restore}, {@code direct:verify}) with the beans they use. */
final class RestoreRunner {
    private final PrintStream err;

    RestoreRunner(PrintStream err) {
        this.err = err;
    }

    Exchange run(String endpoint, RestoreRequest request, boolean deep) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ProgressReporter progress = new ProgressReporter(err, request.quiet(), "to download");
        int threads = request.downloadThreads();
        try (S3Client s3 = S3ClientFactory.create(request.s3(), threads + 4)) {
            CamelRun run = new CamelRun()
                    .property("camel.threadpool.config[downloadPool].pool-size", String.valueOf(threads))
                    .property("camel.threadpool.config[downloadPool].max-pool-size", String.valueOf(threads))
                    .bind("restorePlanner", new RestorePlanner(s3, json))
                    .bind("fileDownloader", new FileDownloader(s3, request.s3().bucket(), progress))
                    .bind("objectChecker", new ObjectChecker(s3, json))
                    .bind("downloadResultAggregator", new DownloadResultAggregator())
                    .bind("sstableLoader", new SstableLoader(progress))
                    .header("snapshotterDeep", deep);
            NodeAccess access = request.inPlace();
            if (access == null) {
                return run.routes("restore").send(endpoint, request);
            }
            SshClients sshClients = new SshClients(access.ssh());
            NodeShell nodeShell = new NodeShell(access.nodeCommandTimeout());
            try (NodeProcesses processes = new NodeProcesses(sshClients)) {
                return run.routes("restore", "restore-in-place", "node")
                        .property("snapshotter.s3.bucket", request.s3().bucket())
                        .property("snapshotter.sshport", String.valueOf(access.ssh().port()))
                        .bind("s3Client", s3)
                        .bind("agentLauncher", new AgentLauncher(processes, progress, json))
                        .bind("hostRestoreAggregator", new HostRestoreAggregator())
                        .bind("inPlaceImport", new InPlaceImport())
                        .bind("nodeShell", nodeShell)
                        .bind("localShell", new LocalShell(nodeShell))
                        .configure(context -> SshComponentSetup.configure(context, sshClients, access.ssh()))
                        .send(endpoint, request);
            }
        }
    }
}
