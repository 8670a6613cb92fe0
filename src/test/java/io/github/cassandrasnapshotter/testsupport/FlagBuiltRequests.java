package io.github.cassandrasnapshotter.testsupport;

import io.github.cassandrasnapshotter.retention.PurgeRequest;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.cli.FlagRequests;
import io.github.cassandrasnapshotter.restore.RestoreRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Backup and restore requests against a test bucket, made from the tool's command-line flags through
 * {@link FlagRequests} (the parser, defaults and checks of the command line). Tests never call the
 * requests' constructors: flags stay, the records' fields get regrouped.
 */
public final class FlagBuiltRequests {
    private final List<String> globalFlags;
    private final Path knownHosts;

    private FlagBuiltRequests(List<String> globalFlags, Path knownHosts) {
        this.globalFlags = List.copyOf(globalFlags);
        this.knownHosts = knownHosts;
    }

    /** Requests for {@code --s3-base-path basePath} of the bucket, with the test server's keys. */
    public static FlagBuiltRequests of(S3Bucket bucket, String basePath) {
        try {
            Path knownHosts = Files.createTempFile("known_hosts-", "");
            knownHosts.toFile().deleteOnExit();
            return new FlagBuiltRequests(List.of("--s3-bucket-name", bucket.name(), "--s3-base-path", basePath,
                    "--s3-endpoint", bucket.endpoint(), "--aws-access-key-id", S3ProxyServer.IDENTITY,
                    "--aws-secret-access-key", S3ProxyServer.CREDENTIAL), knownHosts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Requests for the bucket through {@code endpoint}: a proxy in front of the test server. */
    public static FlagBuiltRequests through(S3Bucket bucket, String basePath, String endpoint) {
        FlagBuiltRequests direct = of(bucket, basePath);
        List<String> flags = new ArrayList<>(direct.globalFlags);
        flags.set(flags.indexOf("--s3-endpoint") + 1, endpoint);
        return new FlagBuiltRequests(flags, direct.knownHosts);
    }

    /** The same with more global flags (given before the command). */
    public FlagBuiltRequests withGlobal(String... flags) {
        List<String> all = new ArrayList<>(globalFlags);
        all.addAll(List.of(flags));
        return new FlagBuiltRequests(all, knownHosts);
    }

    /** {@code backup FLAGS}: the nodes' host keys are taken from an empty known_hosts (nothing logs in). */
    public BackupRequest backup(String... flags) {
        List<String> backupFlags = new ArrayList<>(List.of("--ssh-known-hosts", knownHosts.toString(), "--quiet"));
        backupFlags.addAll(List.of(flags));
        return new FlagRequests(globalFlags, Map.of("backup", backupFlags)).backup(Map.of());
    }

    /** {@code purge FLAGS}. */
    public PurgeRequest purge(String... flags) {
        return new FlagRequests(globalFlags, Map.of("purge", List.of(flags))).purge(Map.of());
    }

    /** {@code restore FLAGS}. */
    public RestoreRequest restore(String... flags) {
        return new FlagRequests(globalFlags, Map.of("restore", List.of(flags))).restore(Map.of(), false);
    }
}
