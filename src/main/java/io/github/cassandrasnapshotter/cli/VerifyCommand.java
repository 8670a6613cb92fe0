package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.restore.RestoreOutcome;
import io.github.cassandrasnapshotter.restore.RestorePlan;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.validate.InputValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code verify}: every object a snapshot's manifests name is in the store; with --deep, its content too. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks that every object named by a snapshot's manifests (its own run and every incremental "
                + "run) exists with the recorded size, from one listing of the snapshot's folder. With --deep, "
                + "also downloads each one, decompresses it and checks its SHA-256. Missing or corrupt files are "
                + "listed.",
                "",
                "Exit status: 0 all good, 1 something is missing or corrupt, 2 bad input or no such snapshot."})
public final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    CassandraSnapshotter global;

    @Option(names = "--snapshot-name", paramLabel = "NAME", defaultValue = RestoreRequest.LATEST,
            description = "Snapshot to verify, or LATEST, the newest complete one (default: ${DEFAULT-VALUE}).")
    String snapshotName;

    @Option(names = "--deep", description = "Download, decompress and check the SHA-256 of every file.")
    boolean deep;

    @Mixin
    DownloadOptions downloads;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        return new RestoreRunner(System.out, System.err).run("direct:snapshotter-verify", request(), deep, this::report);
    }

    /** What the run did, and the exit status. */
    private int report(RestoreReport report, RestorePlan plan, RestoreOutcome outcome) {
        // A newer snapshot that LATEST passed over is damaged: a problem, though this one is fine.
        report.header(deep ? "deep verify of" : "verify of", plan, "FAILED");
        int status = report.failures(outcome, plan);
        int problems = outcome.failures().size() + plan.skipped().size();
        System.out.println(problems == 0 && status == ExitCode.OK
                ? "  OK: every object is there" + (deep ? " and decompresses to its recorded SHA-256" : " with its recorded size")
                : "  " + problems + " problem(s) found");
        return problems == 0 ? status : ExitCode.FAILED;
    }

    RestoreRequest request() {
        if (!RestoreRequest.LATEST.equalsIgnoreCase(snapshotName)) {
            InputValidator.snapshotName(snapshotName);
        }
        downloads.validate();
        return new RestoreRequest(global.s3Settings(null), snapshotName, null, null, null, null,
                Path.of("."), downloads.downloadThreads, downloads.connectionsPerFile, null, null, quiet);
    }
}
