package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.SafePaths;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The node commands that finish an in-place restore: {@code nodetool import} of each staged table
 * (it moves the SSTables into the live table and builds their indexes), then removal of the staging
 * folder. Every value is validated before it can reach a shell.
 */
public final class InPlaceImport {
    /** Only folders this tool staged are ever imported from or removed. */
    private static final Pattern STAGING = Pattern.compile("(.+/restore-[0-9]{14})/[A-Za-z0-9_]+/[A-Za-z0-9_-]+");

    /** One command per staged table, each a list whose first element names the table ({@code ks.table}). */
    public List<List<String>> imports(HostRestore host, RestorePlan plan) {
        NodeAccess access = plan.request().inPlace();
        List<List<String>> commands = new ArrayList<>();
        for (Map.Entry<String, String> table : host.staged().entrySet()) {
            String[] names = table.getKey().split("\\.", 2);
            List<String> argv = new ArrayList<>();
            argv.add(table.getKey());
            if (access.useSudo()) {
                argv.add("sudo");
                argv.add("-n");
            }
            argv.add(access.nodetoolPath());
            argv.add("import");
            argv.add(InputValidator.identifier("keyspace", names[0]));
            argv.add(InputValidator.identifier("table", names[1]));
            argv.add(staging(table.getValue()));
            commands.add(argv);
        }
        return commands;
    }

    /** The command that removes the staging folders ({@code <data>/restore-<snapshot>}) once their tables are imported. */
    public List<String> cleanup(HostRestore host, RestorePlan plan) {
        List<String> argv = new ArrayList<>();
        if (plan.request().inPlace().useSudo()) {
            argv.add("sudo");
            argv.add("-n");
        }
        argv.addAll(List.of("rm", "-rf", "--"));
        host.staged().values().stream().map(InPlaceImport::stagingRoot).distinct().forEach(argv::add);
        return argv;
    }

    /** The command of an import entry, without the table name in front. */
    public List<String> command(List<String> entry) {
        return entry.subList(1, entry.size());
    }

    public String table(List<String> entry) {
        return entry.get(0);
    }

    public void imported(HostRestore host, String table) {
        host.imported(table);
    }

    public void failed(HostRestore host, String step, String reason) {
        host.failed(step + " on " + host.host() + " failed: " + reason);
    }

    private static String staging(String path) {
        SafePaths.absolutePath("staging folder", path);
        if (!STAGING.matcher(path).matches()) {
            throw new IllegalArgumentException("not a staging folder of this tool: " + path);
        }
        return path;
    }

    private static String stagingRoot(String path) {
        java.util.regex.Matcher matcher = STAGING.matcher(staging(path));
        matcher.matches();
        return matcher.group(1);
    }
}
