package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.backup.BackupSelection;
import io.github.cassandrasnapshotter.backup.Durations;
import io.github.cassandrasnapshotter.backup.SchemaBackup;
import io.github.cassandrasnapshotter.backup.SnapshotPolicy;
import io.github.cassandrasnapshotter.backup.UploadTuning;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.storage.LockTiming;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every flag of a backup, shared by {@code backup} (one run) and {@code daemon} (runs on a schedule),
 * and the validated {@link BackupRequest} they make.
 */
abstract class BackupOptions {
    private static final int MIN_PART_MB = 5;
    private static final int MAX_PART_MB = 5 * 1024;

    @ParentCommand
    CassandraSnapshotter global;

    @Option(names = "--hosts", required = true, paramLabel = "H1,H2", description = "Comma list of the nodes' SSH hosts.")
    String hosts;

    @Option(names = "--keyspaces", paramLabel = "KS1,KS2", description = "Keyspaces to back up (default: all).")
    String keyspaces;

    @Option(names = "--table", paramLabel = "TABLE",
            description = "One table to back up, in each of --keyspaces (default: all tables).")
    String table;

    @Option(names = "--exclude-tables", paramLabel = "T1,T2", description = "Tables left out of the upload, by name.")
    String excludeTables;

    @Option(names = "--new-snapshot", description = "Always take a new snapshot (never reuse one).")
    boolean newSnapshot;

    @Option(names = "--self-contained",
            description = "Copy each unchanged file into the new snapshot's folder instead of naming the object an "
                    + "earlier backup stored (each snapshot then stands alone, at the cost of storing every file again). "
                    + "Copies are made anyway when a lifecycle rule of the bucket can expire objects under the base path.")
    boolean selfContained;

    @Option(names = "--max-snapshot-age", paramLabel = "AGE",
            description = "Take a new snapshot instead of an incremental run when the newest matching one is older "
                    + "than this: 7d, 12h, 90m; 0 for no limit (default: ${DEFAULT-VALUE}).")
    String maxSnapshotAge;

    @Option(names = "--max-incremental-runs", paramLabel = "N",
            description = "Take a new snapshot when the newest matching one already has N incremental runs; "
                    + "0 for no limit (default: ${DEFAULT-VALUE}).")
    int maxIncrementalRuns;

    @Option(names = "--backup-schema",
            description = "Also store the schema (cqlsh DESCRIBE, from the first host): schema_<keyspace>.cql per keyspace, or schema.cql.")
    boolean backupSchema;

    @Option(names = "--cqlsh-user", paramLabel = "USER", description = "Cassandra user for the schema dump.")
    String cqlshUser;

    @Option(names = "--cqlsh-password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
            description = "Its password; give the flag alone to be prompted. It reaches the node on stdin, never in argv "
                    + "(a value given here is visible in ps on this machine: prefer --cqlsh-password-file or --cqlsh-password-env).")
    String cqlshPassword;

    @Option(names = "--cqlsh-password-file", paramLabel = "FILE",
            description = "Read the cqlsh password from the first line of this file (keep it mode 0600).")
    java.nio.file.Path cqlshPasswordFile;

    @Option(names = "--cqlsh-password-env", paramLabel = "NAME",
            description = "Read the cqlsh password from the environment variable NAME.")
    String cqlshPasswordEnv;

    @Mixin
    NodeAccessOptions nodes;

    @Option(names = "--buffer-size", paramLabel = "MB",
            description = "Multipart part size in MB; larger for a file that needs more than 10,000 parts (default: ${DEFAULT-VALUE}).")
    int partSizeMb;

    @Option(names = "--connection-pool-size", paramLabel = "N", description = "Hosts worked on at once (default: ${DEFAULT-VALUE}).")
    int connectionPoolSize;

    @Option(names = "--files-at-once", paramLabel = "N", description = "Files uploaded at once on each node (default: ${DEFAULT-VALUE}).")
    int filesAtOnce;

    @Option(names = "--parts-in-flight", paramLabel = "N",
            description = "Parts uploading at once on each node, all files together; one large file alone gets them all "
                    + "(default: ${DEFAULT-VALUE}). Node memory is about buffer-size x (parts-in-flight + files-at-once).")
    int partsInFlight;

    @Option(names = "--compare-content",
            description = "Before reusing an earlier run's object for a file with the same name, size and modification "
                    + "time, read the file and compare its SHA-256 too (by default those three decide; a file whose "
                    + "time differs is always compared).")
    boolean compareContent;

    @Option(names = "--rate-limit", paramLabel = "KB/s", description = "Upload limit per node, all files together; 0 for none (default: ${DEFAULT-VALUE}).")
    long rateLimitKbps;

    @Option(names = "--reduced-redundancy", description = "Store objects as REDUCED_REDUNDANCY.")
    boolean reducedRedundancy;

    @Option(names = "--storage-class", paramLabel = "CLASS", description = "S3 storage class of every object (STANDARD_IA, ...).")
    String storageClass;

    @Option(names = "--compression", paramLabel = "lzo|none",
            description = "lzo: lzop files as the old tool wrote; none: as they are, saving node CPU on LZ4-compressed SSTables (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--lock-ttl", paramLabel = "SECONDS",
            description = "How long the base path's lock outlives a run that died, by the store's clock (default: ${DEFAULT-VALUE}).")
    long lockTtl;

    @Option(names = "--lock-renewal", paramLabel = "SECONDS",
            description = "How often a run renews its lock; at most a third of --lock-ttl (default: ${DEFAULT-VALUE}).")
    long lockRenewal;

    BackupRequest request() {
        List<String> hostList = list(hosts);
        if (hostList.isEmpty()) {
            throw new InvalidInputException("--hosts is empty");
        }
        if (new LinkedHashSet<>(hostList).size() != hostList.size()) {
            throw new InvalidInputException("--hosts names a host twice");
        }
        hostList.forEach(InputValidator::sshHost);
        List<String> keyspaceList = list(keyspaces);
        keyspaceList.forEach(k -> InputValidator.identifier("keyspace", k));
        if (table != null) {
            InputValidator.identifier("table", table);
            if (keyspaceList.isEmpty()) {
                throw new InvalidInputException("--table needs --keyspaces");
            }
        }
        List<String> excluded = list(excludeTables);
        excluded.forEach(t -> InputValidator.identifier("excluded table", t));
        if (partSizeMb < MIN_PART_MB || partSizeMb > MAX_PART_MB) {
            throw new InvalidInputException("--buffer-size must be " + MIN_PART_MB + " to " + MAX_PART_MB
                    + " MB (S3's part size limits)");
        }
        positive("--connection-pool-size", connectionPoolSize);
        positive("--files-at-once", filesAtOnce);
        positive("--parts-in-flight", partsInFlight);
        SnapshotPolicy policy = policy();
        if (rateLimitKbps < 0) {
            throw new InvalidInputException("--rate-limit cannot be negative");
        }
        NodeAccess access = nodes.nodeAccess(hostList);
        String cqlsh = InputValidator.path("cqlsh path", nodes.binDir() + "/cqlsh");
        if (cqlshUser != null) {
            InputValidator.user(cqlshUser);
        }
        String cqlshSecret = SecretOptions.resolve("--cqlsh-password", cqlshPassword, cqlshPasswordFile, cqlshPasswordEnv,
                System.getenv());
        if (cqlshSecret != null && cqlshUser == null) {
            throw new InvalidInputException("--cqlsh-password needs --cqlsh-user");
        }
        Compression compressionType;
        try {
            compressionType = Compression.parse(compression);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
        String objectClass = storageClass != null ? InputValidator.storageClass(storageClass)
                : reducedRedundancy ? "REDUCED_REDUNDANCY" : null;
        if (storageClass != null && reducedRedundancy) {
            throw new InvalidInputException("--reduced-redundancy and --storage-class exclude each other");
        }
        LockTiming lockTiming;
        try {
            lockTiming = new LockTiming(Duration.ofSeconds(lockTtl), Duration.ofSeconds(lockRenewal));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("--lock-renewal, --lock-ttl: " + e.getMessage());
        }
        S3Settings s3 = global.s3Settings(objectClass);
        return new BackupRequest(s3, access, new BackupSelection(hostList, keyspaceList, table, excluded),
                new UploadTuning(partSizeMb, connectionPoolSize, filesAtOnce, partsInFlight, rateLimitKbps,
                        compressionType, compareContent),
                policy, new SchemaBackup(backupSchema, cqlsh, cqlshUser, cqlshSecret), lockTiming, quiet);
    }

    private SnapshotPolicy policy() {
        if (maxIncrementalRuns < 0) {
            throw new InvalidInputException("--max-incremental-runs cannot be negative");
        }
        Duration maxAge = null;
        if (maxSnapshotAge != null && !maxSnapshotAge.isBlank() && !maxSnapshotAge.strip().equals("0")) {
            try {
                maxAge = Durations.parse(maxSnapshotAge);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("--max-snapshot-age: " + e.getMessage());
            }
        }
        return new SnapshotPolicy(newSnapshot, maxAge, maxIncrementalRuns, selfContained);
    }

    private static void positive(String option, long value) {
        if (value < 1) {
            throw new InvalidInputException(option + " must be at least 1");
        }
    }

    /** The values of a comma list, stripped; blanks between commas are ignored, null is empty. */
    static List<String> list(String commaList) {
        List<String> values = new ArrayList<>();
        if (commaList != null) {
            for (String value : commaList.split(",")) {
                if (!value.isBlank()) {
                    values.add(value.strip());
                }
            }
        }
        return values;
    }
}
