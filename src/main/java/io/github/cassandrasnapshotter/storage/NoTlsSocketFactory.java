package io.github.cassandrasnapshotter.storage;

import org.apache.http.HttpHost;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The https socket factory of a client whose endpoint is plain {@code http://}. The SDK otherwise builds
 * a TLS context and a hostname verifier for every client (it loads the trust store and parses the
 * public suffix list: about 0.3 s of each command's start) that such a client never uses. Refusing
 * https, rather than sending it in the clear, keeps a stray https request from leaving unprotected.
 */
final class NoTlsSocketFactory implements ConnectionSocketFactory {
    private final String endpoint;

    NoTlsSocketFactory(String endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public Socket createSocket(HttpContext context) throws IOException {
        throw refused();
    }

    @Override
    public Socket connectSocket(int connectTimeout, Socket socket, HttpHost host, InetSocketAddress remoteAddress,
                                InetSocketAddress localAddress, HttpContext context) throws IOException {
        throw refused();
    }

    private IOException refused() {
        return new IOException("https is not set up for the plain http endpoint " + endpoint);
    }
}
