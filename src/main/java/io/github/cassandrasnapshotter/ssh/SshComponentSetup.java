package io.github.cassandrasnapshotter.ssh;

import org.apache.camel.CamelContext;
import org.apache.camel.component.ssh.SshComponent;

/** camel-ssh set up as our own SSH clients are: the same host key checks, key and login. */
public final class SshComponentSetup {
    private SshComponentSetup() {
    }

    public static void configure(CamelContext context, SshClients clients, SshSettings settings) {
        SshComponent ssh = context.getComponent("ssh", SshComponent.class);
        ssh.getConfiguration().setClientBuilder(clients.clientBuilder());
        ssh.getConfiguration().setKeyPairProvider(clients.keyPairProvider());
        ssh.getConfiguration().setUsername(settings.user());
        ssh.getConfiguration().setPassword(settings.password());
        ssh.getConfiguration().setTimeout(settings.connectTimeout().toMillis());
    }
}
