package io.github.cassandrasnapshotter.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test hosts on loopback addresses (127.0.0.1, 127.0.0.2, ...), each a {@link TestNode} behind its
 * own {@link TestSshServer} on one shared port, with a known_hosts file that names them all.
 */
public final class TestCluster implements AutoCloseable {
    private final Map<String, TestNode> nodes = new LinkedHashMap<>();
    private final Map<String, TestSshServer> servers = new LinkedHashMap<>();
    private final int port;
    private final Path knownHosts;

    private TestCluster(int port, Path knownHosts) {
        this.port = port;
        this.knownHosts = knownHosts;
    }

    public static TestCluster start(Path dir, TestSshServer.Keys keys, String... addresses) throws IOException {
        return start(dir, keys, null, addresses);
    }

    /** @param idleTimeout each SSH server's idle timeout, null for MINA's default (10 minutes) */
    public static TestCluster start(Path dir, TestSshServer.Keys keys, java.time.Duration idleTimeout,
                                    String... addresses) throws IOException {
        int port = FreePorts.findOnAll(addresses);
        TestCluster cluster = new TestCluster(port, dir.resolve("known_hosts"));
        List<String> knownHostLines = new ArrayList<>();
        try {
            for (String address : addresses) {
                TestNode node = TestNode.create(dir.resolve("node-" + address), address);
                node.addSampleTables();
                cluster.nodes.put(address, node);
                cluster.servers.put(address, TestSshServer.start(address, port, keys, node.root(), idleTimeout));
                knownHostLines.add(keys.knownHostsLine(address, port));
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        Files.write(cluster.knownHosts, knownHostLines);
        return cluster;
    }

    public TestNode node(String address) {
        return nodes.get(address);
    }

    public TestSshServer server(String address) {
        return servers.get(address);
    }

    public String hosts() {
        return String.join(",", nodes.keySet());
    }

    public int port() {
        return port;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** Every command line any host's SSH server ran. */
    public List<String> allCommands() {
        List<String> commands = new ArrayList<>();
        servers.values().forEach(s -> commands.addAll(s.commands()));
        return commands;
    }

    /** All that any host's commands wrote on stderr. */
    public String allStderr() {
        StringBuilder all = new StringBuilder();
        servers.values().forEach(s -> all.append(s.stderr()));
        return all.toString();
    }

    @Override
    public void close() throws IOException {
        for (TestSshServer server : servers.values()) {
            server.close();
        }
    }
}
