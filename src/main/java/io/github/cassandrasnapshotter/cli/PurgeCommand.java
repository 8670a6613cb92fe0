package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.manifest.PurgeReport;
import io.github.cassandrasnapshotter.retention.PurgeRequest;
import io.github.cassandrasnapshotter.retention.RetentionPolicy;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.util.RootCause;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.apache.camel.Exchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.concurrent.Callable;

/** {@code purge}: deletes the snapshots no retention rule keeps. */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = {"Deletes the snapshots under --s3-base-path that no rule keeps, with their incremental runs, "
                + "and aborts multipart uploads older than --uploads-grace. A snapshot is kept when any rule keeps it; "
                + "the newest complete snapshot is always kept, and so are the snapshots of cassandra_snapshotter 1.x "
                + "unless --include-legacy. Incomplete snapshots are deleted once older than --incomplete-grace. "
                + "An object a kept snapshot's file list names is never deleted. Purge takes the base path's lock, "
                + "as a backup does: it never runs beside one. Try --dry-run first.",
                "",
                "Exit status: 0 done (or nothing to do), 1 a delete failed (the output names the keys; the next "
                        + "purge finishes it) or the lock is held, 2 bad usage (nothing was touched)."})
public final class PurgeCommand implements Callable<Integer> {

    @ParentCommand
    CassandraSnapshotter global;

    @Mixin
    RetentionOptions retention;

    @Option(names = "--schedule-time-zone", paramLabel = "ZONE",
            description = "Time zone of the days, weeks and months of the rules (default: ${DEFAULT-VALUE}).")
    String timeZone;

    @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "The report as one JSON document, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        PurgeRequest request = request();
        S3Settings settings = request.s3();
        ObjectMapper mapper = new ObjectMapper();
        Exchange done;
        try (S3Client s3 = S3ClientFactory.create(settings, PurgeRequest.DEFAULT_REQUESTS_AT_ONCE + 16)) {
            done = new CamelRun(CamelSetup.builder(s3, mapper, ProgressReporter.silent()).purge().build())
                    .send("direct:snapshotter-purge", request);
        }
        if (done.getException() != null) {
            System.err.println("cassandra-snapshotter: purge of s3://" + settings.bucket() + "/" + settings.basePath()
                    + " stopped: " + RootCause.of(done.getException()).getMessage());
            return ExitCode.FAILED;
        }
        PurgeReport report = done.getMessage().getBody(PurgeReport.class);
        if (json) {
            System.out.println(mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            new PurgePrinter(System.out).print(report);
        }
        return report.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The request these flags make: one clear line (exit 2) for a bad flag, before the bucket is read. */
    PurgeRequest request() {
        RetentionPolicy policy = retention.policy(timeZone);
        if (!policy.anyRule()) {
            throw new InvalidInputException("purge needs a rule: --keep-last, --keep-within, --keep-daily, "
                    + "--keep-weekly or --keep-monthly");
        }
        return retention.request(global.s3Settings(null), policy, dryRun);
    }
}
