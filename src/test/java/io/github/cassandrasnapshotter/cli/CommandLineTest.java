package io.github.cassandrasnapshotter.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = CassandraSnapshotter.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void backupHelpShowsEveryOldFlagWithDefaultsFromApplicationProperties() {
        assertEquals(0, run("backup", "--help"));
        String help = out.toString();
        for (String flag : new String[] {"--hosts", "--keyspaces", "--table", "--exclude-tables", "--new-snapshot",
                "--user", "--sshport", "--sshkey", "--password", "--use-sudo", "--nodetool-path",
                "--cassandra-bin-dir", "--cassandra-conf-path", "--buffer-size", "--connection-pool-size",
                "--reduced-redundancy", "--rate-limit", "--quiet", "--compression", "--storage-class",
                "--ssh-known-hosts", "--ssh-accept-unknown-hosts", "--max-snapshot-age", "--max-incremental-runs"}) {
            assertTrue(help.contains(flag), flag + " in: " + help);
        }
        String bufferSize = optionHelp(help, "--buffer-size");
        assertTrue(bufferSize.endsWith("(default: 12)."), bufferSize);
        String confPath = optionHelp(help, "--cassandra-conf-path");
        assertTrue(confPath.endsWith("(default: /etc/cassandra/conf/)."), confPath);
    }

    /** One option's entry in a help text, from its name to the next option, its lines joined by single spaces. */
    private static String optionHelp(String help, String option) {
        Matcher entry = Pattern.compile("(?ms)^\\s+" + Pattern.quote(option) + "\\b(.*?)(?=^\\s+-|\\z)").matcher(help);
        assertTrue(entry.find(), option + " in: " + help);
        return entry.group(1).strip().replaceAll("\\s+", " ");
    }

    @Test
    void globalHelpListsTheGlobalFlags() {
        assertEquals(0, run("--help"));
        for (String flag : new String[] {"--s3-bucket-name", "--s3-base-path", "--s3-bucket-region", "--s3-endpoint",
                "--aws-access-key-id", "--aws-secret-access-key", "--s3-ssenc", "--s3-sse-kms-key-id", "--verbose"}) {
            assertTrue(out.toString().contains(flag), flag);
        }
    }

    /**
     * bin/cassandra-snapshotter finds the subcommand (to start list and status with the quick JIT)
     * by skipping the value of each global flag that takes one: its list must be picocli's.
     */
    @Test
    void theLauncherKnowsWhichGlobalFlagsTakeAValue() throws Exception {
        Set<String> takingValue = new TreeSet<>();
        for (CommandLine.Model.OptionSpec option : CassandraSnapshotter.commandLine().getCommandSpec().options()) {
            if (option.typeInfo().getType() != boolean.class && option.arity().max() > 0) {
                takingValue.addAll(List.of(option.names()));
            }
        }
        Matcher skipLine = Pattern.compile("(?m)^\\s*(--[^)]*)\\) skip=true").matcher(Files.readString(Path.of("bin/cassandra-snapshotter")));
        assertTrue(skipLine.find(), "the launcher's skip case");
        assertEquals(takingValue, new TreeSet<>(List.of(skipLine.group(1).split("\\|"))));
    }

    @Test
    void anUnknownFlagIsOneLineAndStatusTwo() {
        assertEquals(ExitCode.USAGE, run("--s3-bucket-name", "b", "--s3-base-path", "p", "backup", "--hosts", "h",
                "--nope"));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--nope"), err.toString());
    }

    @Test
    void oldStyleUseSudoValueIsAccepted() {
        BackupCommand backup = new BackupCommand();
        new CommandLine(backup).setDefaultValueProvider(PropertiesDefaults.load())
                .parseArgs("--hosts", "h", "--use-sudo=true");
        assertTrue(backup.nodes.useSudo);
        BackupCommand plain = new BackupCommand();
        new CommandLine(plain).setDefaultValueProvider(PropertiesDefaults.load()).parseArgs("--hosts", "h", "--use-sudo");
        assertTrue(plain.nodes.useSudo);
    }

    @Test
    void listHelpSaysWhatItShowsAndOffersJson() {
        assertEquals(0, run("list", "--help"));
        assertTrue(out.toString().contains("--json") && out.toString().contains("newest first"), out.toString());
    }

    @Test
    void aBadSnapshotAgeIsABadInputLine() {
        int status = run("--s3-bucket-name", "b", "--s3-base-path", "p", "backup", "--hosts", "localhost",
                "--max-snapshot-age", "a week");
        assertEquals(2, status);
        assertEquals("cassandra-snapshotter: --max-snapshot-age: 'a week' is not a duration such as 7d, 12h, 90m or 30s",
                err.toString().strip());
    }
}
