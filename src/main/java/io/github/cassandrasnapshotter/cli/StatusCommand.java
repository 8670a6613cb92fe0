package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.catalog.StatusReader;
import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.Durations;
import io.github.cassandrasnapshotter.manifest.BackupStatus;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.util.Sizes;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.apache.camel.Exchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code status}: the last complete backup's age and size, for monitoring. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints when the last complete backup of --s3-base-path finished, how old it is and its size, "
                + "and how the last run ended (with its failures), from the small _status/ objects every backup "
                + "writes. For Nagios-style checks and cron mail, give --max-age.",
                "",
                "Exit status: 0 a complete backup exists (and, with --max-age, is younger); 1 there is none, or it is "
                        + "older than --max-age, or the bucket could not be read; 2 bad usage."})
public final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    CassandraSnapshotter global;

    @Option(names = "--max-age", paramLabel = "AGE", description = "Exit 1 when the last complete backup is this old or older: 26h, 7d, 90m.")
    String maxAge;

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        Duration limit = null;
        if (maxAge != null) {
            try {
                limit = Durations.parse(maxAge);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--max-age: " + e.getMessage());
            }
        }
        S3Settings settings = global.s3Settings(null);
        ObjectMapper json = new ObjectMapper();
        Exchange done;
        try (S3Client s3 = S3ClientFactory.create(settings, 4)) {
            done = new CamelRun(CamelSetup.builder(s3, json, ProgressReporter.silent()).catalog().build())
                    .send("direct:snapshotter-status", settings);
        }
        String where = "s3://" + settings.bucket() + "/" + settings.basePath();
        if (done.getException() != null) {
            System.out.println("UNKNOWN: cannot read the status of " + where + ": " + done.getException().getMessage());
            return ExitCode.FAILED;
        }
        StatusReader.Report report = done.getMessage().getBody(StatusReader.Report.class);
        int status = ExitCode.OK;
        if (report.lastComplete().isEmpty()) {
            System.out.println("CRITICAL: no complete backup recorded under " + where);
            status = ExitCode.FAILED;
        } else {
            BackupStatus last = report.lastComplete().get();
            Duration age = Duration.between(Instant.parse(last.finished()), Instant.now());
            boolean stale = limit != null && age.compareTo(limit) >= 0;
            System.out.println((stale ? "CRITICAL" : "OK") + ": last complete backup of " + where + " finished "
                    + last.finished() + ", " + Durations.describe(age) + " ago"
                    + (stale ? " (--max-age is " + Durations.describe(limit) + ")" : "") + ": " + describe(last));
            status = stale ? ExitCode.FAILED : ExitCode.OK;
        }
        report.lastRun().filter(run -> report.lastComplete().map(c -> !c.runId().equals(run.runId())).orElse(true))
                .ifPresent(run -> {
                    System.out.println("last run: " + run.status() + " at " + run.finished() + ": " + describe(run));
                    if (run.failures() != null) {
                        run.failures().forEach(f -> System.out.println("  " + f));
                    }
                });
        report.lastPurge().ifPresent(purge -> System.out.println("last purge: " + purge.started() + ", "
                + purge.purged().size() + " snapshots, " + purge.objectsDeleted() + " objects, "
                + io.github.cassandrasnapshotter.util.Sizes.human(purge.bytesDeleted()) + " deleted with " + purge.policy()
                + (purge.ok() ? "" : "; " + purge.notDeletedCount() + " keys not deleted")));
        return status;
    }

    private static String describe(BackupStatus run) {
        return (run.kind() == io.github.cassandrasnapshotter.manifest.FileKind.INCREMENTAL
                ? "incremental run " + run.runId() + " of snapshot " + run.snapshot() : "snapshot " + run.snapshot())
                + ", " + run.files() + " files, " + Sizes.human(run.bytes()) + " (" + Sizes.human(run.sentBytes())
                + " sent, " + Sizes.human(run.copiedBytes()) + " copied"
                + (run.referencedBytes() == null || run.referencedBytes() == 0 ? ""
                : ", " + Sizes.human(run.referencedBytes()) + " referenced") + "), " + run.durationSeconds() + " s";
    }
}
