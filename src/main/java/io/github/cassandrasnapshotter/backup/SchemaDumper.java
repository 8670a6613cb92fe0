package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.node.Messages;
import io.github.cassandrasnapshotter.node.NodeCommandException;
import io.github.cassandrasnapshotter.ssh.NodeProcesses;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;
import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.StorageObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --backup-schema}: the schema as cqlsh prints it, from the first host, to
 * {@code schema_<keyspace>.cql} per keyspace (or {@code schema.cql} for all), as the old tool did.
 * The cqlsh password reaches the node on stdin, written to a private cqlshrc that is removed after.
 */
public final class SchemaDumper {
    /** Writes stdin to a private temporary cqlshrc, runs cqlsh ($0, $@) with it, and removes it. */
    private static final String WITH_CREDENTIALS = "umask 077; rc=$(mktemp) || exit 1; "
            + "trap 'rm -f \"$rc\"' EXIT; cat > \"$rc\"; \"$0\" --cqlshrc \"$rc\" \"$@\"";

    private final NodeProcesses processes;
    private final Duration timeout;

    public SchemaDumper(NodeProcesses processes, Duration timeout) {
        this.processes = processes;
        this.timeout = timeout;
    }

    public List<StorageObject> dump(BackupPlan plan) throws IOException, InterruptedException {
        BackupRequest request = plan.request();
        List<StorageObject> objects = new ArrayList<>();
        if (!request.schema().backupSchema()) {
            return objects;
        }
        StorageKeys keys = new StorageKeys(request.s3().basePath());
        String host = plan.firstHost();
        List<String> keyspaces = request.selection().keyspaces();
        if (keyspaces.isEmpty()) {
            objects.add(StorageObject.text(schemaKey(keys, plan, null), describe(request.schema(), plan, host, "DESCRIBE SCHEMA")));
        } else {
            for (String keyspace : keyspaces) {
                objects.add(StorageObject.text(schemaKey(keys, plan, keyspace),
                        describe(request.schema(), plan, host, "DESCRIBE KEYSPACE " + keyspace)));
            }
        }
        return objects;
    }

    /** A snapshot's schema sits in its folder; an incremental run's beside its file lists. */
    private static String schemaKey(StorageKeys keys, BackupPlan plan, String keyspace) {
        return plan.incremental() ? keys.runSchemaKey(plan.snapshot(), plan.runId(), keyspace)
                : keys.schemaKey(plan.snapshot(), keyspace);
    }

    private String describe(SchemaBackup settings, BackupPlan plan, String host, String statement)
            throws IOException, InterruptedException {
        List<String> cqlsh = new ArrayList<>(List.of(settings.cqlshPath(), host, "-e", statement));
        String commandLine;
        byte[] stdin;
        if (settings.cqlshUser() != null) {
            commandLine = "sh -c " + ShellQuoting.quote(WITH_CREDENTIALS) + " " + ShellQuoting.join(cqlsh);
            String cqlshrc = "[authentication]\nusername = " + settings.cqlshUser() + "\n"
                    + (settings.cqlshPassword() == null ? "" : "password = " + settings.cqlshPassword() + "\n");
            stdin = cqlshrc.getBytes(StandardCharsets.UTF_8);
        } else {
            commandLine = ShellQuoting.join(cqlsh);
            stdin = new byte[0];
        }
        StringBuilder schema = new StringBuilder();
        RemoteProcess.Result result = processes.run(host, plan.isLocal(host), commandLine, stdin, null,
                line -> schema.append(line).append('\n'), timeout);
        if (result.timedOut() || result.exitStatus() == null || result.exitStatus() != 0) {
            throw new NodeCommandException("cqlsh " + statement + " on " + host + " failed: "
                    + (result.timedOut() ? "timed out" : "exit status " + result.exitStatus())
                    + Messages.lastLine(result.stderrTail()));
        }
        return schema.toString();
    }
}
