package io.github.cassandrasnapshotter.testsupport;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real SSH server (Apache MINA SSHD) for one test host: public-key login, a generated host key,
 * and every command run by a real bash in the host's folder. It records the command lines it ran,
 * which are exactly what would show in the node's process list. Like OpenSSH, it does not stop a
 * command when its channel closes ({@link BashCommand}): {@link #stillRunning} shows what outlived its
 * session; {@link #close()} kills what is left, after the test.
 */
public final class TestSshServer implements AutoCloseable {
    /** The password the servers also take, besides the client key: to test how a password reaches the login. */
    public static final String PASSWORD = "ssh-Pa55word-that-must-not-leak";
    /** The one user that may log in, with the client key or the password. */
    public static final String USER = "cassandra";

    private final SshServer server;
    private final String address;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    private final java.util.Map<Process, String> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean cut;

    private TestSshServer(SshServer server, String address) {
        this.server = server;
        this.address = address;
    }

    /** Keys shared by the test hosts: the host key, and the key the coordinator logs in with. */
    public record Keys(KeyPair hostKey, KeyPair clientKey, Path clientKeyFile) {
        public static Keys generate(Path dir) throws IOException, GeneralSecurityException {
            KeyPair host = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
            KeyPair client = KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
            Path clientFile = dir.resolve("id_ecdsa");
            try (OutputStream out = Files.newOutputStream(clientFile)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "test", null, out);
            }
            return new Keys(host, client, clientFile);
        }

        /** A known_hosts line for a host and port, as ssh-keyscan would print it. */
        public String knownHostsLine(String host, int port) {
            return "[" + host + "]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic());
        }
    }

    public static TestSshServer start(String address, int port, Keys keys, Path hostRoot) throws IOException {
        return start(address, port, keys, hostRoot, null);
    }

    /** @param idleTimeout closes a session after this long without traffic (MINA's default: 10 minutes) */
    public static TestSshServer start(String address, int port, Keys keys, Path hostRoot,
                                      java.time.Duration idleTimeout) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        if (idleTimeout != null) {
            org.apache.sshd.core.CoreModuleProperties.IDLE_TIMEOUT.set(server, idleTimeout);
        }
        server.setHost(address);
        server.setPort(port);
        server.setKeyPairProvider(KeyPairProvider.wrap(keys.hostKey()));
        // As sshd: the key or the password of the one user the node has, not of whatever name comes with it.
        KeySetPublickeyAuthenticator clientKey = new KeySetPublickeyAuthenticator("test", List.of(keys.clientKey().getPublic()));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user) && clientKey.authenticate(user, key, session));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        TestSshServer wrapper = new TestSshServer(server, address);
        server.setCommandFactory((channel, command) -> {
            wrapper.commands.add(command);
            return new BashCommand(command, hostRoot, process -> wrapper.processes.put(process, command),
                    () -> wrapper.cut, wrapper.stderr);
        });
        server.start();
        return wrapper;
    }

    public String address() {
        return address;
    }

    public int port() {
        return server.getPort();
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** All that the commands run here wrote on stderr (the agent's log among it), whether shown or not. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * From now on nothing passes between the sessions and their commands, and nothing says so: no EOF, no
     * error, no close, as when the network between the coordinator and the node drops.
     */
    public void cutTheNetwork() {
        cut = true;
    }

    /** The processes the commands run here started, and theirs, that are alive now. */
    public List<ProcessHandle> descendants() {
        List<ProcessHandle> all = new java.util.ArrayList<>();
        for (Process process : processes.keySet()) {
            process.descendants().filter(ProcessHandle::isAlive).forEach(all::add);
        }
        return all;
    }

    /** Command lines whose process is still alive after {@code wait}, whether or not their session ended. */
    public List<String> stillRunning(java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (Process process : processes.keySet()) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                process.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
        return processes.entrySet().stream().filter(e -> e.getKey().isAlive()).map(java.util.Map.Entry::getValue).toList();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        for (Process process : processes.keySet()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
