package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.retention.PurgeRequest;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.camel.HeaderRequests;
import io.github.cassandrasnapshotter.restore.RestoreRequest;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests made from command-line flags, for an application that embeds the routes: the global flags
 * and each command's default flags are given once, and a message's headers add or override the flags
 * of its command. Header {@code snapshotterKeyspaces} is {@code --keyspaces}, {@code snapshotterNewSnapshot}
 * is {@code --new-snapshot}, and so on ({@link #headerName}); the same parser checks them, with the same
 * defaults ({@code application.properties}) and the same errors as the command line.
 */
public final class FlagRequests implements HeaderRequests {
    private final List<String> globalFlags;
    private final Map<String, List<String>> commandFlags;

    /**
     * @param globalFlags  flags given before the command ({@code --s3-bucket-name}, {@code --s3-base-path}, ...)
     * @param commandFlags per command ({@code backup}, {@code restore}, {@code verify}), its default flags
     */
    public FlagRequests(List<String> globalFlags, Map<String, List<String>> commandFlags) {
        this.globalFlags = List.copyOf(globalFlags);
        this.commandFlags = Map.copyOf(commandFlags);
    }

    /** The header that sets {@code flag} of a command: {@code --exclude-tables} is {@code snapshotterExcludeTables}. */
    public static String headerName(String flag) {
        StringBuilder name = new StringBuilder("snapshotter");
        for (String word : flag.replaceFirst("^-+", "").split("-")) {
            if (!word.isEmpty()) {
                name.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return name.toString();
    }

    /** Where the bucket is: the global flags alone. */
    @Override
    public S3Settings s3Settings() {
        CommandLine parser = parser();
        parser.parseArgs(globalFlags.toArray(String[]::new));
        return ((CassandraSnapshotter) parser.getCommand()).s3Settings(null);
    }

    @Override
    public BackupRequest backup(Map<String, Object> headers) {
        return ((BackupCommand) parse("backup", headers, List.of())).request();
    }

    /**
     * The backup flags' connection settings (SSH login, timeouts, hosts at once), which hold for every
     * message: a backup request from the defaults, with a stand-in host when they name none.
     */
    public BackupRequest backupDefaults() {
        return ((BackupCommand) parse("backup", List.of("--hosts", BackupRequest.LOCAL_HOST), Map.of(), List.of())).request();
    }

    @Override
    public RestoreRequest restore(Map<String, Object> headers, boolean inPlace) {
        return ((RestoreCommand) parse("restore", headers, inPlace ? List.of("--in-place") : List.of())).request();
    }

    /** {@code purge}: the retention flags (as headers too: {@code snapshotterKeepLast} is {@code --keep-last}). */
    public PurgeRequest purge(Map<String, Object> headers) {
        return ((PurgeCommand) parse("purge", headers, List.of())).request();
    }

    @Override
    public RestoreRequest verify(Map<String, Object> headers) {
        return ((VerifyCommand) parse("verify", headers, List.of())).request();
    }

    private Object parse(String command, Map<String, Object> headers, List<String> extra) {
        return parse(command, List.of(), headers, extra);
    }

    private Object parse(String command, List<String> before, Map<String, Object> headers, List<String> extra) {
        CommandLine parser = parser();
        CommandLine sub = parser.getSubcommands().get(command);
        List<String> args = new ArrayList<>(globalFlags);
        args.add(command);
        args.addAll(before);
        args.addAll(commandFlags.getOrDefault(command, List.of()));
        args.addAll(headerFlags(sub.getCommandSpec(), headers));
        args.addAll(extra);
        try {
            parser.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new InvalidInputException(command + ": " + e.getMessage());
        }
        return sub.getCommand();
    }

    /** The command line's own parser, where a header may override the same flag among the defaults. */
    private static CommandLine parser() {
        CommandLine parser = CassandraSnapshotter.commandLine();
        parser.setOverwrittenOptionsAllowed(true);
        return parser;
    }

    private static List<String> headerFlags(CommandSpec spec, Map<String, Object> headers) {
        List<String> flags = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            Object value = headers.get(headerName(option.longestName()));
            if (value == null) {
                continue;
            }
            String flag = option.longestName();
            if (option.typeInfo().isBoolean()) {
                if (Boolean.parseBoolean(value.toString())) {
                    flags.add(flag);
                }
            } else if (value instanceof Collection<?> values && option.isMultiValue()) {
                for (Object each : values) {
                    flags.add(flag);
                    flags.add(each.toString());
                }
            } else if (value instanceof Collection<?> values) {
                flags.add(flag);
                flags.add(String.join(",", values.stream().map(Object::toString).toList()));
            } else {
                flags.add(flag);
                flags.add(value.toString());
            }
        }
        return flags;
    }
}
