package io.github.cassandrasnapshotter.ssh;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to log in to the nodes. The password, if any, never appears in {@link #toString()}.
 *
 * @param knownHosts         the known_hosts file host keys are checked against
 * @param acceptUnknownHosts accept any host key (an explicit operator choice; never the default)
 * @param keepAlive          how often a session with nothing to say asks the server for an answer, so
 *                           that a long silent command (a large file restored, a slow nodetool) is not
 *                           closed as idle and a dead connection is noticed; zero for never
 */
public record SshSettings(
        String user,
        int port,
        Path privateKey,
        String password,
        Path knownHosts,
        boolean acceptUnknownHosts,
        Duration connectTimeout,
        Duration keepAlive) {

    public static final int DEFAULT_PORT = 22;

    public static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    @Override
    public String toString() {
        return "SshSettings[user=" + user + ", port=" + port + ", privateKey=" + privateKey
                + ", password=" + (password == null ? "none" : "set") + ", knownHosts=" + knownHosts
                + ", acceptUnknownHosts=" + acceptUnknownHosts + "]";
    }
}
