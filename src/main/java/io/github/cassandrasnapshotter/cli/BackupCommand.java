package io.github.cassandrasnapshotter.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code backup}: snapshot every host and upload each node's files straight to S3. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Takes a snapshot on every host (nodetool snapshot), uploads its files from each node "
                + "straight to S3 (lzop, multipart, SHA-256 of every file recorded), writes the run's "
                + "manifests and the ring, and writes manifest.json last, only when every host and file "
                + "succeeded. Snapshots are cleared on every host at the end, failure or not.",
                "",
                "Unless --new-snapshot is given (or a --max-* limit is reached), a backup reuses the newest complete "
                        + "snapshot whose hosts, keyspaces, table and excluded tables equal this run's (as sets): "
                        + "it flushes, uploads the SSTables Cassandra linked into backups/ since, removes each link "
                        + "once its upload is confirmed, and records the run under <snapshot>/_runs/<run>/.",
                "",
                "A new snapshot copies, inside the store, every file whose content an earlier backup of the "
                        + "host already holds (same keyspace, table, name, size and SHA-256) instead of sending it.",
                "",
                "--hosts localhost backs up this machine without SSH."})
public final class BackupCommand extends BackupOptions implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        io.github.cassandrasnapshotter.backup.BackupRequest request = request();
        return new BackupRunner(System.out, System.err).run(request);
    }
}
