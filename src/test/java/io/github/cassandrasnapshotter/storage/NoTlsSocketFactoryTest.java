package io.github.cassandrasnapshotter.storage;

import org.apache.http.HttpHost;
import org.apache.http.protocol.BasicHttpContext;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoTlsSocketFactoryTest {

    @Test
    void refusesHttpsInsteadOfSendingItInTheClear() {
        NoTlsSocketFactory factory = new NoTlsSocketFactory("http://127.0.0.1:9000");
        IOException e = assertThrows(IOException.class, () -> factory.connectSocket(1000, null,
                new HttpHost("elsewhere.example", 443, "https"), new InetSocketAddress("127.0.0.1", 443), null,
                new BasicHttpContext()));
        assertTrue(e.getMessage().contains("http://127.0.0.1:9000"), e.getMessage());
        assertThrows(IOException.class, () -> factory.createSocket(new BasicHttpContext()));
    }
}
