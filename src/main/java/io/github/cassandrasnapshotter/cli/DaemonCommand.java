package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.SshClients;
import io.github.cassandrasnapshotter.storage.BucketCheck;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.quartz.CronExpression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import io.github.cassandrasnapshotter.retention.PurgeRequest;
import io.github.cassandrasnapshotter.retention.RetentionPolicy;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.ZoneId;
import java.util.concurrent.Callable;

/** {@code daemon}: backups on a schedule, for weeks, in one camel-main process. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Runs until stopped (SIGTERM, Ctrl-C) and backs up on two schedules: a new snapshot on "
                + "--snapshot-cron, and incremental runs on --incremental-cron (a new snapshot when --max-snapshot-age "
                + "or --max-incremental-runs say so). Takes every flag of backup. With a retention "
                + "rule (--keep-last, --keep-within, --keep-daily, ...), it purges after each complete snapshot as purge does.",
                "",
                "One backup of a base path runs at a time, whoever starts it: a fire that finds another run "
                        + "(of this daemon, a one-shot backup, or a daemon elsewhere) holding the base path's lock is "
                        + "skipped and logged, not queued. Fires missed while the process was down are skipped. A "
                        + "failed run is reported and retried at the next fire; the daemon itself goes on.",
                "",
                "Crons are Quartz cron expressions (seconds first): '0 0 1 * * ?' is 01:00 every day."})
public final class DaemonCommand extends BackupOptions implements Callable<Integer> {

    @Option(names = "--snapshot-cron", paramLabel = "CRON", description = "When to take a new snapshot (default: ${DEFAULT-VALUE}).")
    String snapshotCron;

    @Option(names = "--incremental-cron", paramLabel = "CRON|none",
            description = "When to run an incremental backup; none for never (default: ${DEFAULT-VALUE}).")
    String incrementalCron;

    @Option(names = "--schedule-time-zone", paramLabel = "ZONE", description = "Time zone of both crons (default: ${DEFAULT-VALUE}).")
    String timeZone;

    @Mixin
    RetentionOptions retention;

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        BackupRequest request = request();
        RetentionPolicy policy = retention.policy(timeZone);
        PurgeRequest purge = policy.anyRule() ? retention.request(request.s3(), policy, false) : null;
        validateCron("--snapshot-cron", snapshotCron);
        boolean incremental = !"none".equalsIgnoreCase(incrementalCron.strip());
        if (incremental) {
            validateCron("--incremental-cron", incrementalCron);
        }
        ObjectMapper json = new ObjectMapper();
        ProgressReporter progress = new ProgressReporter(System.err, true);
        SshClients sshClients = new SshClients(request.nodes().ssh());
        try (S3Client s3 = S3ClientFactory.create(request.s3(), 4);
             NodeProcesses processes = new NodeProcesses(sshClients)) {
            BucketCheck.check(s3, request.s3());
            CamelRun run = new CamelRun(BackupRunner.setup(request, s3, processes, sshClients, progress, json)
                    .schedule().purge().build())
                    .property("snapshotter.snapshot-cron", snapshotCron.strip())
                    .property("snapshotter.incremental-cron", incremental ? incrementalCron.strip() : "0 0 0 1 1 ? 2099")
                    .property("snapshotter.schedule-time-zone", timeZone)
                    .bind("scheduledBackups", new ScheduledBackups(request, purge, System.out));
            if (!incremental) {
                run.property("camel.main.route-filter-exclude-pattern", "snapshotter-scheduled-incremental");
            }
            System.out.println("cassandra-snapshotter daemon: new snapshots at '" + snapshotCron.strip() + "'"
                    + (incremental ? ", incremental runs at '" + incrementalCron.strip() + "'" : ", no incremental runs")
                    + " (" + timeZone + "), backing up " + String.join(",", request.selection().hosts()) + " to s3://"
                    + request.s3().bucket() + "/" + request.s3().basePath()
                    + (purge == null ? "; no retention rule: nothing is deleted" : "; after each complete snapshot, purge with "
                    + policy.describe()));
            System.out.flush();
            run.runUntilStopped();
        }
        return ExitCode.OK;
    }

    private static void validateCron(String option, String cron) {
        if (!CronExpression.isValidExpression(cron.strip())) {
            throw new InvalidInputException(option + ": '" + cron + "' is not a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week, for example '0 0 1 * * ?')");
        }
    }
}
