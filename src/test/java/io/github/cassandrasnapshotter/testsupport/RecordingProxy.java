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
 * A TCP proxy in front of a store that keeps the head (request line and headers) of every POST and PUT
 * a client sends through it: what a CreateMultipartUpload or a CopyObject asked for, as sent, where the
 * store does not tell it back. It finds {@code POST /} and {@code PUT /} in the byte stream however reads
 * split it; random body bytes matching those by chance are left to chance.
 */
public final class RecordingProxy implements AutoCloseable {
    private static final byte[][] METHODS = {"POST /".getBytes(StandardCharsets.US_ASCII),
            "PUT /".getBytes(StandardCharsets.US_ASCII)};
    private static final int MAX_HEAD = 16 * 1024;

    private final ServerSocket server;
    private final int targetPort;
    private final List<String> heads = new CopyOnWriteArrayList<>();

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

    /**
     * The head of the first request whose request line starts with {@code prefix} (say
     * {@code "POST /bucket/key?uploads"}) and goes on with its end, a query or a parameter (so not a longer
     * key), and that has {@code header}, if one is given.
     */
    public Optional<String> requestHead(String prefix, String header) {
        return heads.stream().filter(h -> h.startsWith(prefix) && " ?&".indexOf(h.charAt(prefix.length())) >= 0
                && (header == null || header(h, header).isPresent())).findFirst();
    }

    /** The request line of every POST and PUT so far ({@code PUT /bucket/key HTTP/1.1}), in the order they came. */
    public List<String> requestLines() {
        return heads.stream().map(h -> h.lines().findFirst().orElse("")).toList();
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

    /** Collects from "POST /" or "PUT /" to the blank line that ends the head. */
    private final class HeadScanner {
        private final int[] matched = new int[METHODS.length];
        private ByteArrayOutputStream head;
        private int lastFour;

        void scan(byte[] bytes, int length) {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (head != null) {
                    head.write(b);
                    lastFour = (lastFour << 8) | (b & 0xff);
                    if (lastFour == 0x0d0a0d0a) {
                        heads.add(head.toString(StandardCharsets.ISO_8859_1));
                        head = null;
                    } else if (head.size() > MAX_HEAD) {
                        head = null;
                    }
                    continue;
                }
                for (int m = 0; m < METHODS.length; m++) {
                    byte[] method = METHODS[m];
                    matched[m] = b == method[matched[m]] ? matched[m] + 1 : b == method[0] ? 1 : 0;
                    if (matched[m] == method.length) {
                        head = new ByteArrayOutputStream();
                        head.writeBytes(method);
                        lastFour = 0;
                        java.util.Arrays.fill(matched, 0);
                        break;
                    }
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
