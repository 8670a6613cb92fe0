package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.restore.LoaderSettings;
import io.github.cassandrasnapshotter.restore.RestoreFolder;
import io.github.cassandrasnapshotter.restore.RestoreOutcome;
import io.github.cassandrasnapshotter.restore.RestorePlan;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code restore}: download a snapshot and its incremental runs, every file checked against its SHA-256. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Downloads a keyspace (or one table) of a snapshot, with its incremental runs up to "
                + "--point-in-time, to <restore-dir>/<host>/<keyspace>/<table-dir>/ with Cassandra's file names "
                + "kept exactly. Each file is decompressed and checked against the SHA-256 its manifest records; "
                + "a mismatch fails that file and names it. Run it again after an interruption: files already "
                + "in place with the right SHA-256 are not fetched again.",
                "",
                "Then load the files: on a running node, nodetool import <keyspace> <table> <folder>; or with "
                        + "sstableloader -d <hosts> <folder> (see the README for the offline steps).",
                "",
                "Exit status: 0 every file restored and checked, 1 some failed (they are listed), 2 bad input, "
                        + "no such snapshot, a restore folder of another user, or a snapshot whose file lists or keys "
                        + "name a path outside its folder or a host that is none (nothing written)."})
public final class RestoreCommand implements Callable<Integer> {

    @ParentCommand
    CassandraSnapshotter global;

    @Option(names = "--snapshot-name", paramLabel = "NAME",
            description = "Snapshot to restore, or LATEST: the newest complete one that holds --hosts and --keyspace "
                    + "(default: ${DEFAULT-VALUE}).", defaultValue = RestoreRequest.LATEST)
    String snapshotName;

    @Option(names = "--keyspace", required = true, paramLabel = "KEYSPACE", description = "Keyspace to restore.")
    String keyspace;

    @Option(names = "--table", paramLabel = "TABLE", description = "One table (default: every table of the keyspace).")
    String table;

    @Option(names = "--hosts", paramLabel = "H1,H2", description = "Source hosts whose files to restore (default: every host of the snapshot).")
    String hosts;

    @Option(names = "--point-in-time", paramLabel = "RUN-ID|TIME",
            description = "Restore the snapshot plus its incremental runs up to this run id (YYYYmmddHHMMSS) or time "
                    + "(2026-11-24T04:00:00Z); without it, every run.")
    String pointInTime;

    @Option(names = "--restore-dir", paramLabel = "DIR", description = "Where the files go (default: ${DEFAULT-VALUE}). Made with mode 0700 (so are its folders); "
                    + "one that exists and belongs to another user is refused, and no link in it is followed.")
    Path restoreDir;

    @Mixin
    DownloadOptions downloads;

    @Option(names = "--in-place",
            description = "Restore into the source nodes themselves over SSH (same login flags as backup): each node's "
                    + "agent downloads its own files into a staging folder in each table's folder, and once every file "
                    + "is checked, nodetool import loads them into the running node. The tables must exist.")
    boolean inPlace;

    @Mixin
    NodeAccessOptions nodes;

    @Option(names = "--target-hosts", paramLabel = "H1,H2",
            description = "After the download, load each table folder into this cluster with sstableloader "
                    + "(<cassandra-bin-dir>/sstableloader on this machine); its exit status is checked.")
    String targetHosts;

    @Option(names = "--sstableloader-arg", paramLabel = "ARG",
            description = "One more argument for sstableloader, repeatable: its port (-p 9042), login (-u NAME -pw ...), "
                    + "SSL (-ts FILE -tspw ...). Arguments are visible to local users in ps, as on sstableloader's own command line.")
    List<String> loaderArgs = new ArrayList<>();

    @Option(names = {"--local", "--no-sstableloader"},
            description = "Accepted for cassandra_snapshotter 1.x command lines: download only (what restore does).")
    boolean downloadOnly;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        RestoreRequest request = request();
        return new RestoreRunner(System.out, System.err).run(
                inPlace ? "direct:snapshotter-restore-in-place" : "direct:snapshotter-restore", request, false,
                (report, plan, outcome) -> report(report, plan, outcome, request));
    }

    /** What the run did, and the exit status. */
    private int report(RestoreReport report, RestorePlan plan, RestoreOutcome outcome, RestoreRequest request) {
        report.header("restore of", plan, "NOTE");
        System.out.println("  " + RestoreReport.counts(outcome));
        int status = report.failures(outcome, plan);
        outcome.loaded().forEach(folder -> System.out.println("  loaded with sstableloader: " + folder));
        if (inPlace) {
            outcome.imported().forEach((host, tables) -> System.out.println("  " + host + ": "
                    + (tables.isEmpty() ? "nothing imported" : "nodetool import of " + String.join(", ", tables))));
            if (status != ExitCode.OK) {
                System.out.println("  run the same command again: files already staged and checked are not fetched again");
            }
            return status;
        }
        if (status == ExitCode.OK) {
            System.out.println("  files are in " + request.restoreDir().toAbsolutePath() + "/<host>/" + request.keyspace()
                    + "/<table-dir>/; load them with nodetool import " + request.keyspace()
                    + " <table> <folder> on a running node, or sstableloader -d <hosts> <folder>");
        } else {
            System.out.println("  run the same command again to fetch only what is missing");
        }
        return status;
    }

    RestoreRequest request() {
        InputValidator.identifier("keyspace", keyspace);
        if (table != null) {
            InputValidator.identifier("table", table);
        }
        if (!RestoreRequest.LATEST.equalsIgnoreCase(snapshotName)) {
            InputValidator.snapshotName(snapshotName);
        }
        List<String> hostList = hostList(hosts);
        downloads.validate();
        if (inPlace && downloadOnly) {
            throw new InvalidInputException("--in-place and --local/--no-sstableloader exclude each other");
        }
        LoaderSettings loader = null;
        if (targetHosts != null) {
            if (inPlace || downloadOnly) {
                throw new InvalidInputException("--target-hosts excludes --in-place, --local and --no-sstableloader");
            }
            List<String> targets = hostList(targetHosts);
            if (targets.isEmpty()) {
                throw new InvalidInputException("--target-hosts is empty");
            }
            loader = new LoaderSettings(nodes.binDir() + "/sstableloader", targets, loaderArgs);
        } else if (!loaderArgs.isEmpty()) {
            throw new InvalidInputException("--sstableloader-arg needs --target-hosts");
        }
        if (!inPlace) {
            RestoreFolder.check(restoreDir); // another user's folder, where links may wait: refused before anything
        }
        return new RestoreRequest(global.s3Settings(null), snapshotName, keyspace, table, hostList, pointInTime,
                restoreDir, downloads.downloadThreads, downloads.connectionsPerFile, inPlace ? nodes.nodeAccess(hostList) : null, loader, quiet);
    }

    private static List<String> hostList(String commaList) {
        return BackupOptions.list(commaList).stream().map(InputValidator::host).toList();
    }
}
