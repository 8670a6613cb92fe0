package io.github.cassandrasnapshotter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cassandrasnapshotter.catalog.BackupListing;
import io.github.cassandrasnapshotter.camel.CamelSetup;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.util.RootCause;
import org.apache.camel.Exchange;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code list}: every snapshot under the base path with its incremental runs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists every snapshot under --s3-base-path, newest first: time, hosts, keyspaces, table, "
                + "files, bytes, and whether it is complete (its manifest.json exists) or which hosts are "
                + "missing; under each snapshot its incremental runs. Snapshots written by "
                + "cassandra_snapshotter 1.x are listed too.",
                "",
                "Exit status: 0 listed (also when there is nothing), 1 the bucket could not be read."})
public final class ListCommand implements Callable<Integer> {

    @ParentCommand
    CassandraSnapshotter global;

    @Option(names = "--json", description = "One JSON document, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        global.applyLogging();
        S3Settings settings = global.s3Settings(null);
        ObjectMapper mapper = new ObjectMapper();
        Exchange done;
        try (S3Client s3 = S3ClientFactory.create(settings, 16)) {
            done = new CamelRun(CamelSetup.builder(s3, mapper, ProgressReporter.silent()).catalog().build())
                    .send("direct:snapshotter-list", settings);
        }
        PrintStream out = System.out;
        if (done.getException() != null) {
            Throwable cause = RootCause.of(done.getException());
            System.err.println("cassandra-snapshotter: cannot list s3://" + settings.bucket() + "/"
                    + settings.basePath() + ": " + cause.getMessage());
            return ExitCode.FAILED;
        }
        BackupListing listing = done.getMessage().getBody(BackupListing.class);
        if (json) {
            out.println(mapper.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(listing));
        } else {
            new ListingPrinter(out).print(listing);
        }
        return ExitCode.OK;
    }
}
