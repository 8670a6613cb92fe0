package io.github.cassandrasnapshotter.ssh;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the MINA SSHD clients of both SSH paths, camel-ssh (short node commands) and the agent
 * session, so host keys and identities are checked the same way on each. MINA's known_hosts
 * verifier reads hashed entries too, which camel-ssh's own {@code knownHostsResource} does not.
 */
public final class SshClients {
    private final SshSettings settings;
    /** Hosts whose key was refused: camel-ssh reports these as "Failed to authenticate". */
    private final Map<String, String> refusedHostKeys = new ConcurrentHashMap<>();

    public SshClients(SshSettings settings) {
        this.settings = settings;
    }

    /** Why the host's key was refused, if it was. */
    public Optional<String> hostKeyProblem(String host) {
        return Optional.ofNullable(refusedHostKeys.get(host));
    }

    public SshSettings settings() {
        return settings;
    }

    /** For camel-ssh's {@code clientBuilder} option: every client it builds checks host keys and keeps alive. */
    public ClientBuilder clientBuilder() {
        return new KeepAliveClientBuilder(settings.keepAlive()).serverKeyVerifier(serverKeyVerifier());
    }

    /**
     * Clients that send a keepalive request with want-reply when a session has been quiet for the
     * interval: the server's answer is traffic, so MINA's idle timeout (10 minutes) never closes a session
     * whose command is only slow, and a server that stops answering closes the session after a few tries.
     */
    private static final class KeepAliveClientBuilder extends ClientBuilder {
        /** Keepalives without an answer before the session is taken as dead. */
        private static final int MAX_UNANSWERED = 4;

        private final java.time.Duration interval;

        KeepAliveClientBuilder(java.time.Duration interval) {
            this.interval = interval;
        }

        @Override
        public SshClient build(boolean isFillWithDefaultValues) {
            SshClient client = super.build(isFillWithDefaultValues);
            if (interval != null && !interval.isZero()) {
                CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, interval);
                CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, interval);
                CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, MAX_UNANSWERED);
            }
            return client;
        }
    }

    /** For camel-ssh's {@code keyPairProvider} option; null when no key file applies. */
    public KeyPairProvider keyPairProvider() {
        List<Path> keys = identityFiles();
        return keys.isEmpty() ? null : new FileKeyPairProvider(keys);
    }

    /** A started client for the agent sessions; the caller stops it. */
    public SshClient startClient() {
        SshClient client = clientBuilder().build();
        KeyPairProvider keys = keyPairProvider();
        if (keys != null) {
            client.setKeyIdentityProvider(keys);
        } else {
            client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        }
        client.start();
        return client;
    }

    ServerKeyVerifier serverKeyVerifier() {
        if (settings.acceptUnknownHosts()) {
            return AcceptAllServerKeyVerifier.INSTANCE;
        }
        KnownHostsServerKeyVerifier knownHosts =
                new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, settings.knownHosts());
        return (session, address, key) -> {
            boolean accepted = knownHosts.verifyServerKey(session, address, key);
            if (!accepted) {
                String host = session.getConnectAddress() instanceof org.apache.sshd.common.util.net.SshdSocketAddress s
                        ? s.getHostName() : hostOf(address);
                refusedHostKeys.put(host, "the SSH host key of " + host + " is not in " + settings.knownHosts()
                        + " or does not match it: check the key and add it (ssh-keyscan -p " + settings.port() + " "
                        + host + " >> " + settings.knownHosts() + "), or use --ssh-accept-unknown-hosts "
                        + "for a throwaway test cluster");
            }
            return accepted;
        };
    }

    private static String hostOf(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress inet ? inet.getHostString() : String.valueOf(address);
    }

    /** The given key, else the user's default keys that exist, as ssh(1) would try them. */
    private List<Path> identityFiles() {
        List<Path> keys = new ArrayList<>();
        if (settings.privateKey() != null) {
            keys.add(settings.privateKey());
            return keys;
        }
        Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            Path key = sshDir.resolve(name);
            if (Files.isReadable(key)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
