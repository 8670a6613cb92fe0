package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.backup.BackupRequest;
import io.github.cassandrasnapshotter.node.NodeAccess;
import io.github.cassandrasnapshotter.ssh.SshSettings;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The flags that say how to reach the nodes and run things there; shared by {@code backup} and {@code restore}. */
public final class NodeAccessOptions {

    @Option(names = "--user", paramLabel = "USER", description = "SSH login (default: the current user).")
    String user;

    @Option(names = "--sshport", paramLabel = "PORT", description = "SSH port of the nodes (default: ${DEFAULT-VALUE}).")
    int sshPort;

    @Option(names = "--sshkey", paramLabel = "FILE", description = "SSH private key (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa).")
    Path sshKey;

    @Option(names = "--password", paramLabel = "PASSWORD", interactive = true, arity = "0..1",
            description = "SSH password; give the flag alone to be prompted for it (a value given here is visible in ps: "
                    + "prefer --password-file or --password-env).")
    String password;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the SSH password from the first line of this file (keep it mode 0600).")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "NAME",
            description = "Read the SSH password from the environment variable NAME.")
    String passwordEnv;

    @Option(names = "--ssh-known-hosts", paramLabel = "FILE",
            description = "known_hosts file the nodes' host keys are checked against (default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--ssh-accept-unknown-hosts",
            description = "Accept any host key. Only for throwaway test clusters: it allows a man in the middle.")
    boolean acceptUnknownHosts;

    @Option(names = "--ssh-connect-timeout", paramLabel = "SECONDS", description = "Seconds to connect and log in (default: ${DEFAULT-VALUE}).")
    int sshConnectTimeout;

    @Option(names = "--ssh-keepalive", paramLabel = "SECONDS",
            description = "Seconds between keepalives on a silent SSH session, so a long quiet command is not cut as idle "
                    + "and a dead connection is noticed; 0 for none (default: ${DEFAULT-VALUE}).")
    int sshKeepAlive;

    @Option(names = "--use-sudo", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Run nodetool and the agent on the nodes through sudo -n.")
    boolean useSudo;

    @Option(names = "--nodetool-path", paramLabel = "PATH", description = "nodetool on the nodes (default: <cassandra-bin-dir>/nodetool).")
    String nodetoolPath;

    @Option(names = "--cassandra-bin-dir", paramLabel = "DIR", description = "Folder of nodetool on the nodes (default: ${DEFAULT-VALUE}).")
    String cassandraBinDir;

    @Option(names = "--cassandra-conf-path", paramLabel = "DIR", description = "Folder of cassandra.yaml on the nodes (default: ${DEFAULT-VALUE}).")
    String cassandraConfPath;

    @Option(names = "--agent-command", paramLabel = "COMMAND",
            description = "How to start cassandra-snapshotter on the nodes; 'agent' is appended. Leading NAME=VALUE "
                    + "words set its environment (run through env), e.g. \"JAVA_OPTS=-Xmx1g cassandra-snapshotter\" "
                    + "(default: ${DEFAULT-VALUE}).")
    String agentCommand;

    @Option(names = "--node-command-timeout", paramLabel = "SECONDS", description = "Bound on each nodetool command (default: ${DEFAULT-VALUE}).")
    int nodeCommandTimeout;

    @Option(names = "--agent-timeout", paramLabel = "MINUTES", description = "Bound on one node's whole agent run (upload or restore) (default: ${DEFAULT-VALUE}).")
    int agentTimeout;

    String binDir() {
        return cassandraBinDir.replaceAll("/+$", "");
    }

    /** Validated: every value that reaches a node's shell, and the SSH files. */
    NodeAccess nodeAccess(List<String> hosts) {
        hosts.forEach(InputValidator::sshHost);
        for (String[] bound : new String[][] {{"--node-command-timeout", String.valueOf(nodeCommandTimeout)},
                {"--agent-timeout", String.valueOf(agentTimeout)}, {"--ssh-connect-timeout", String.valueOf(sshConnectTimeout)}}) {
            if (Long.parseLong(bound[1]) < 1) {
                throw new InvalidInputException(bound[0] + " must be at least 1");
            }
        }
        String nodetool = InputValidator.path("nodetool path", nodetoolPath != null ? nodetoolPath : binDir() + "/nodetool");
        InputValidator.path("cassandra conf path", cassandraConfPath);
        List<String> agentWords = AgentCommandLine.words(agentCommand);
        String loginUser = user != null ? user : System.getProperty("user.name");
        InputValidator.user(loginUser);
        return new NodeAccess(sshSettings(loginUser, hosts), useSudo, nodetool, cassandraConfPath, agentWords,
                Duration.ofSeconds(nodeCommandTimeout), Duration.ofMinutes(agentTimeout));
    }

    private SshSettings sshSettings(String loginUser, List<String> hostList) {
        if (sshPort < 1 || sshPort > 65535) {
            throw new InvalidInputException("--sshport must be 1 to 65535");
        }
        if (sshKey != null && !Files.isReadable(sshKey)) {
            throw new InvalidInputException("--sshkey " + sshKey + " is not a readable file");
        }
        Path knownHostsFile = knownHosts != null ? knownHosts : SshSettings.defaultKnownHosts();
        boolean remote = hostList.stream().anyMatch(h -> !BackupRequest.LOCAL_HOST.equals(h));
        if (remote && !acceptUnknownHosts && !Files.isReadable(knownHostsFile)) {
            throw new InvalidInputException("known_hosts file " + knownHostsFile + " does not exist: add the nodes' "
                    + "host keys to it (ssh-keyscan) or name another with --ssh-known-hosts");
        }
        if (sshKeepAlive < 0) {
            throw new InvalidInputException("--ssh-keepalive must be 0 (none) or more seconds");
        }
        String sshPassword = SecretOptions.resolve("--password", password, passwordFile, passwordEnv, System.getenv());
        return new SshSettings(loginUser, sshPort, sshKey, sshPassword, knownHostsFile, acceptUnknownHosts,
                Duration.ofSeconds(sshConnectTimeout), Duration.ofSeconds(sshKeepAlive));
    }
}
