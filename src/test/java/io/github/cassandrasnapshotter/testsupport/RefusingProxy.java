package io.github.cassandrasnapshotter.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of the store that refuses some requests, as a store does that denies a
 * key or a network that fails at the wrong moment: each request whose request line ({@code PUT
 * /bucket/key HTTP/1.1}) matches is answered 403 AccessDenied and never reaches the store; every other
 * request is passed on unchanged. Each connection carries one request (the proxy asks for
 * {@code Connection: close}), so every request is seen.
 */
public final class RefusingProxy implements AutoCloseable {
    private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private volatile Predicate<String> refused;
    private final List<String> refusedRequests = new CopyOnWriteArrayList<>();

    public RefusingProxy(InetSocketAddress target, Predicate<String> refused) throws IOException {
        this.target = target;
        this.refused = refused;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "refusing-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A {@code PUT} of a key that contains {@code part}. */
    public static Predicate<String> putsOf(String part) {
        return line -> line.startsWith("PUT ") && line.split(" ")[1].contains(part);
    }

    /** From now on, refuses what {@code requests} matches instead. */
    public void refuse(Predicate<String> requests) {
        this.refused = requests;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The request lines refused so far. */
    public List<String> refusedRequests() {
        return List.copyOf(refusedRequests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread thread = new Thread(() -> serve(client), "refusing-proxy");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("refusing proxy: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String requestLine = text.substring(0, text.indexOf("\r\n"));
            if (refused.test(requestLine)) {
                refusedRequests.add(requestLine);
                byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
                        + "<Message>refused by the test proxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            try (Socket upstream = new Socket(target.getAddress(), target.getPort())) {
                OutputStream up = upstream.getOutputStream();
                up.write(withConnectionClose(text).getBytes(StandardCharsets.ISO_8859_1));
                up.flush();
                Thread body = pipe(in, up);
                upstream.getInputStream().transferTo(client.getOutputStream());
                body.interrupt();
            }
        } catch (IOException e) {
            // one side closed: the request is over
        }
    }

    /** The request's head with any Connection header replaced by {@code Connection: close}. */
    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
            if (!line.toLowerCase(java.util.Locale.ROOT).startsWith("connection:")) {
                out.append(line).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private static Thread pipe(InputStream from, OutputStream to) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the exchange ended
            }
        }, "refusing-proxy-body");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Bytes up to and including the blank line that ends the headers; null when the client closed first. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = b == END_OF_HEADERS[matched] ? matched + 1 : b == END_OF_HEADERS[0] ? 1 : 0;
            if (matched == END_OF_HEADERS.length) {
                return head.toByteArray();
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
