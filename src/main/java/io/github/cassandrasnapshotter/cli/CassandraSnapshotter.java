package io.github.cassandrasnapshotter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.cassandrasnapshotter.Version;
import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.crypto.InvalidKeyFileException;
import io.github.cassandrasnapshotter.crypto.KeyFile;
import io.github.cassandrasnapshotter.storage.S3Endpoint;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code cassandra-snapshotter [global flags] backup|agent [flags]}: global flags come before the
 * subcommand, as with cassandra_snapshotter 1.x.
 */
@Command(name = "cassandra-snapshotter",
        mixinStandardHelpOptions = true,
        versionProvider = CassandraSnapshotter.VersionProvider.class,
        subcommands = {BackupCommand.class, ListCommand.class, RestoreCommand.class, VerifyCommand.class, StatusCommand.class, PurgeCommand.class, DaemonCommand.class, KeygenCommand.class, AgentCommand.class, CommandLine.HelpCommand.class},
        description = "Backs up Apache Cassandra clusters to S3 (or any S3-compatible store) from nodetool "
                + "snapshots, one upload per node straight to the bucket.",
        footer = {"", "Exit status: 0 done, 1 the run failed or is partial (the output names hosts and files), "
                + "2 bad usage or input (nothing was touched)."})
public final class CassandraSnapshotter implements Runnable {

    @Option(names = {"-v", "--verbose"}, description = "More logging.")
    boolean verbose;

    @Option(names = "--s3-bucket-name", paramLabel = "BUCKET", description = "Bucket to write to.")
    String bucket;

    @Option(names = "--s3-base-path", paramLabel = "PATH",
            description = "Key prefix of this cluster's backups (a backup profile).")
    String basePath;

    @Option(names = "--s3-bucket-region", paramLabel = "REGION", description = "Region of the bucket (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "Endpoint of an S3-compatible store (MinIO, Ceph...); path-style addressing is used.")
    String endpoint;

    @Option(names = "--aws-access-key-id", paramLabel = "ID",
            description = "Explicit access key; without it the default AWS chain (environment, profile, "
                    + "instance role) is used on the coordinator and on each node.")
    String accessKeyId;

    @Option(names = "--aws-secret-access-key", paramLabel = "SECRET",
            description = "Explicit secret key; prefer the environment (AWS_SECRET_ACCESS_KEY with "
                    + "--aws-keys-from-env). It reaches the nodes only on the agent's stdin.")
    String secretAccessKey;

    @Option(names = "--aws-keys-from-env",
            description = "Take explicit keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN "
                    + "for temporary credentials) and hand them to the nodes (on the agent's stdin), keeping them off "
                    + "every command line.")
    boolean keysFromEnvironment;

    @Option(names = "--s3-ssenc", description = "Server-side encryption (AES256) on every object written.")
    boolean serverSideEncryption;

    @Option(names = "--encryption-key-file", paramLabel = "FILE",
            description = "Client-side encryption with the keys of FILE (made by 'keygen'): each data object is "
                    + "encrypted on its node (Tink AES256-GCM, after compression) and the file lists, summaries and "
                    + "manifests are sealed, so that restore and verify refuse anything changed or planted in the "
                    + "bucket. Give it to backup, restore and verify alike. The keys reach the nodes only on the "
                    + "agent's stdin.")
    java.nio.file.Path encryptionKeyFile;

    @Option(names = "--s3-sse-kms-key-id", paramLabel = "ID|ARN|alias/NAME",
            description = "Server-side encryption with this KMS key (aws:kms) on every object written, instead of "
                    + "AES256 (with --s3-ssenc too, the key wins). Restore needs no flag: S3 decrypts.")
    String sseKmsKeyId;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required: backup, list, restore, verify or status");
    }

    S3Settings s3Settings(String storageClass) {
        String id = accessKeyId;
        String secret = secretAccessKey;
        String sessionToken = null;
        if (keysFromEnvironment) {
            id = System.getenv("AWS_ACCESS_KEY_ID");
            secret = System.getenv("AWS_SECRET_ACCESS_KEY");
            // Temporary credentials (STS, SSO) are refused without their token.
            sessionToken = System.getenv("AWS_SESSION_TOKEN");
            if (id == null || secret == null) {
                throw new InvalidInputException(
                        "--aws-keys-from-env needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
            }
        }
        if ((id == null) != (secret == null)) {
            throw new InvalidInputException("--aws-access-key-id and --aws-secret-access-key go together");
        }
        if (bucket == null || bucket.isBlank()) {
            throw new InvalidInputException("missing required option --s3-bucket-name (give it before the command)");
        }
        if (basePath == null) {
            throw new InvalidInputException("missing required option --s3-base-path (give it before the command)");
        }
        String kmsKey = sseKmsKeyId == null ? null : InputValidator.kmsKeyId(sseKmsKeyId);
        ClientKeys clientKeys = null;
        if (encryptionKeyFile != null) {
            try {
                clientKeys = KeyFile.read(encryptionKeyFile);
            } catch (InvalidKeyFileException e) {
                throw new InvalidInputException("--encryption-key-file: " + e.getMessage());
            }
        }
        return new S3Settings(bucket, basePath, region, S3Endpoint.check(endpoint), id, secret, serverSideEncryption,
                storageClass, sessionToken, kmsKey, clientKeys);
    }

    void applyLogging() {
        Logger ours = (Logger) LoggerFactory.getLogger("io.github.cassandrasnapshotter");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (verbose) {
            ours.setLevel(Level.DEBUG);
            root.setLevel(Level.INFO);
        }
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (tests call this directly). */
    public static int execute(String... args) {
        CommandLine commandLine = commandLine();
        return commandLine.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new CassandraSnapshotter());
        commandLine.setDefaultValueProvider(PropertiesDefaults.load());
        // A base path or host may well be called "backup" or "restore".
        commandLine.setAllowSubcommandsAsOptionParameters(true);
        commandLine.setParameterExceptionHandler(CassandraSnapshotter::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof InvalidInputException) {
                err.println("cassandra-snapshotter: " + e.getMessage());
                return ExitCode.USAGE;
            }
            err.println("cassandra-snapshotter: failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCode.FAILED;
        });
        return commandLine;
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("cassandra-snapshotter: " + e.getMessage() + " (see '"
                + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
        return ExitCode.USAGE;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cassandra-snapshotter " + Version.CURRENT};
        }
    }
}
