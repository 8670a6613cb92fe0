package io.github.cassandrasnapshotter.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a store that keeps the head (request line and headers) of every POST a
 * client sends through it: what a CreateMultipartUpload asked for, as sent, where the store does not
 * tell it back. It finds {@code POST /} in the byte stream however reads split it; random body bytes
 * matching those six by chance are left to chance.
 */
public final class RecordingProxy implements AutoCloseable {
    private static final byte[] POST = "POST /".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private final List<String> postHeads = new CopyOnWriteArrayList<>();

    public RecordingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "recording-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The head of the first POST whose request line starts with {@code prefix} (say {@code "POST /bucket/key?uploads"}). */
    public Optional<String> postHead(String prefix) {
        return postHeads.stream().filter(h -> h.startsWith(prefix)).findFirst();
    }

    /** A header's value in a recorded head, by its name in any case. */
    public static Optional<String> header(String head, String name) {
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        return head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith(wanted))
                .map(l -> l.substring(wanted.length()).strip()).findFirst();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("recording proxy: " + e.getMessage());
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            HeadScanner scanner = new HeadScanner();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (record) {
                        scanner.scan(buffer, n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // one side closed: close both
            } finally {
                close(from);
                close(to);
            }
        }, record ? "recording-proxy-up" : "recording-proxy-down");
        thread.setDaemon(true);
        thread.start();
    }

    /** Collects from "POST /" to the blank line that ends the head. */
    private final class HeadScanner {
        private int matched;
        private ByteArrayOutputStream head;
        private int lastFour;

        void scan(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (head != null) {
                    head.write(b);
                    lastFour = (lastFour << 8) | (b & 0xff);
                    if (lastFour == 0x0d0a0d0a) {
                        postHeads.add(head.toString(StandardCharsets.ISO_8859_1));
                        head = null;
                    } else if (head.size() > MAX_HEAD) {
                        head = null;
                    }
                    continue;
                }
                matched = b == POST[matched] ? matched + 1 : b == POST[0] ? 1 : 0;
                if (matched == POST.length) {
                    head = new ByteArrayOutputStream();
                    head.writeBytes(POST);
                    lastFour = 0;
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
