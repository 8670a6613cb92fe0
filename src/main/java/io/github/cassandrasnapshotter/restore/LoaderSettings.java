package io.github.cassandrasnapshotter.restore;

import java.util.List;

/**
 * How {@code restore --target-hosts} loads the downloaded tables: sstableloader on this machine,
 * the cluster's hosts, and the operator's own sstableloader options (port, authentication, SSL).
 */
public record LoaderSettings(String sstableloader, List<String> targetHosts, List<String> extraArgs) {

    public LoaderSettings {
        targetHosts = List.copyOf(targetHosts);
        extraArgs = List.copyOf(extraArgs);
    }
}
