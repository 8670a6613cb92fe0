package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.ssh.RemoteProcess;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code restore --target-hosts}: runs sstableloader for each downloaded table folder, one after the
 * other, and records its exit status (the old tool ignored it). Nothing is loaded unless every file
 * was downloaded and checked.
 */
public final class SstableLoader {
    private final ProgressReporter progress;

    public SstableLoader(ProgressReporter progress) {
        this.progress = progress;
    }

    public RestoreOutcome load(RestoreOutcome outcome, RestorePlan plan) throws IOException, InterruptedException {
        LoaderSettings loader = plan.loader();
        if (!outcome.ok(plan.files().size())) {
            outcome.failed("nothing was loaded with sstableloader: some files failed; run the restore again");
            return outcome;
        }
        Set<Path> folders = new LinkedHashSet<>();
        for (RestoreFile file : plan.files()) {
            folders.add(io.github.cassandrasnapshotter.validate.SafePaths.under(plan.restoreDir(),
                    file.checked().host(), file.keyspace(), file.tableDirectory()));
        }
        for (Path folder : folders) {
            List<String> command = new ArrayList<>(List.of(loader.sstableloader(), "-d",
                    String.join(",", loader.targetHosts())));
            command.addAll(loader.extraArgs());
            command.add(folder.toAbsolutePath().toString());
            progress.message("sstableloader -d " + String.join(",", loader.targetHosts()) + " ... " + folder);
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                outcome.failed("sstableloader could not start (" + loader.sstableloader() + "): " + e.getMessage()
                        + "; set --cassandra-bin-dir to the folder that holds it");
                return outcome;
            }
            RemoteProcess.TailBuffer tail = new RemoteProcess.TailBuffer();
            try (InputStream out = process.getInputStream()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = out.read(buffer)) > 0) {
                    tail.write(buffer, 0, n);
                }
            }
            int status = process.waitFor();
            if (status != 0) {
                String last = tail.text().strip();
                last = last.isEmpty() ? "" : ": " + last.substring(last.lastIndexOf('\n') + 1);
                outcome.failed("sstableloader of " + folder + " failed with exit status " + status + last);
            } else {
                outcome.loaded(folder.toString());
            }
        }
        return outcome;
    }
}
