package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.AgentLauncher;
import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.backup.BackupPlanner;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.backup.HostResultAggregator;
import io.github.cassandrasnapshotter.backup.LocalShell;
import io.github.cassandrasnapshotter.backup.NodeShell;
import io.github.cassandrasnapshotter.backup.ProgressReporter;
import io.github.cassandrasnapshotter.backup.RunMetadata;
import io.github.cassandrasnapshotter.backup.SchemaDumper;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.ssh.SshComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.DefaultExchange;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.time.Clock;

/**
 * Runs one backup as a one-shot camel-main process: binds the beans the routes use, sends the
 * request to {@code direct:backup} once Camel has started, prints the summary and returns the exit
 * status. The work runs from {@code afterStart} with {@code completed()} in a finally, so camel-main
 * stops cleanly whatever happens (CAMEL-NOTES.md).
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
        SshClients sshClients = new SshClients(request.ssh());
        NodeShell nodeShell = new NodeShell(request.nodeCommandTimeout());
        Result result = new Result();
        try (S3Client s3 = S3ClientFactory.create(request.s3(), 4);
             NodeProcesses processes = new NodeProcesses(sshClients)) {
            Main main = new Main();
            main.setPropertyPlaceholderLocations("classpath:cassandra-snapshotter/application.properties");
            main.addOverrideProperty("snapshotter.s3.bucket", request.s3().bucket());
            main.addOverrideProperty("snapshotter.sshport", String.valueOf(request.ssh().port()));
            main.addOverrideProperty("camel.threadpool.config[hostPool].pool-size",
                    String.valueOf(request.connectionPoolSize()));
            main.addOverrideProperty("camel.threadpool.config[hostPool].max-pool-size",
                    String.valueOf(request.connectionPoolSize()));
            main.bind("s3Client", s3);
            main.bind("backupPlanner", new BackupPlanner(Clock.systemUTC()));
            main.bind("hostResultAggregator", new HostResultAggregator(sshClients::hostKeyProblem));
            main.bind("agentLauncher", new AgentLauncher(processes, progress, json));
            main.bind("schemaDumper", new SchemaDumper(processes, request.nodeCommandTimeout()));
            main.bind("runMetadata", new RunMetadata(json));
            main.bind("nodeShell", nodeShell);
            main.bind("localShell", new LocalShell(nodeShell));
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport mainSupport) {
                    SshComponent ssh = mainSupport.getCamelContext().getComponent("ssh", SshComponent.class);
                    ssh.getConfiguration().setClientBuilder(sshClients.clientBuilder());
                    ssh.getConfiguration().setKeyPairProvider(sshClients.keyPairProvider());
                    ssh.getConfiguration().setUsername(request.ssh().user());
                    ssh.getConfiguration().setPassword(request.ssh().password());
                    ssh.getConfiguration().setTimeout(request.ssh().connectTimeout().toMillis());
                }

                @Override
                public void afterStart(BaseMainSupport mainSupport) {
                    try (ProducerTemplate template = mainSupport.getCamelContext().createProducerTemplate()) {
                        Exchange exchange = new DefaultExchange(mainSupport.getCamelContext());
                        exchange.getMessage().setBody(request);
                        Exchange done = template.send("direct:backup", exchange);
                        result.plan = done.getProperty("plan", BackupPlan.class);
                        result.outcome = done.getMessage().getBody(BackupOutcome.class);
                        result.failure = done.getException();
                    } catch (Exception e) {
                        result.failure = e;
                    } finally {
                        main.completed();
                    }
                }
            });
            main.run();
        }
        return new BackupReport(out).print(result.plan, result.outcome, result.failure);
    }

    private static final class Result {
        BackupPlan plan;
        BackupOutcome outcome;
        Exception failure;
    }
}
