package io.github.cassandrasnapshotter.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the store that caps every connection, each direction, at a fixed rate:
 * as S3 caps what one connection gets, so that parallel connections decide the throughput (the
 * benchmark), or so that a test's transfer surely takes a while.
 */
public final class ThrottlingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long bytesPerSecond;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger rangedRequests = new AtomicInteger();

    public ThrottlingProxy(InetSocketAddress target, long bytesPerSecond) throws IOException {
        this.target = target;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests sent through the proxy with a {@code Range} header (a client's ranged GETs). */
    public int rangedRequests() {
        return rangedRequests.get();
    }

    /** The most connections that were open through the proxy at one time. */
    public int mostConnectionsAtOnce() {
        return mostOpen.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                AtomicBoolean counted = new AtomicBoolean(true);
                pump(client, upstream, "proxy-up", counted, new RangeHeaderCounter());
                pump(upstream, client, "proxy-down", counted, null);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("proxy: " + e.getMessage());
                }
            }
        }
    }

    /** @param counted true until the connection's first pump ends and takes it off the open count */
    private void pump(Socket from, Socket to, String name, AtomicBoolean counted, RangeHeaderCounter ranges) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            long sent = 0;
            long started = System.nanoTime();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    if (ranges != null) {
                        ranges.scan(buffer, n);
                    }
                    sent += n;
                    long due = started + sent * 1_000_000_000L / bytesPerSecond;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side closed: close both
            } finally {
                close(from);
                close(to);
                if (counted.getAndSet(false)) {
                    open.decrementAndGet();
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Finds "range: bytes=" in what a client sends, however its reads split it. */
    private final class RangeHeaderCounter {
        private static final byte[] HEADER = "\r\nrange: bytes=".getBytes(StandardCharsets.US_ASCII);
        private int matched;

        void scan(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i] >= 'A' && bytes[i] <= 'Z' ? (byte) (bytes[i] + 32) : bytes[i];
                matched = b == HEADER[matched] ? matched + 1 : b == HEADER[0] ? 1 : 0;
                if (matched == HEADER.length) {
                    rangedRequests.incrementAndGet();
                    matched = 0;
                }
            }
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
