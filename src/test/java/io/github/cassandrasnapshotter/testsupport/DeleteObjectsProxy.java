package io.github.cassandrasnapshotter.testsupport;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy in front of the store that answers DeleteObjects ({@code POST /bucket?delete}) itself, as a
 * store does that deletes some keys of a batch and reports an {@code <Error>} for others: the keys
 * {@code failing} matches are left in the store and reported as AccessDenied, the others are deleted in the
 * store (through {@code store}, a client with the store's own keys, since a changed request would no longer
 * match its signature). Every other request is passed on unchanged, one per connection. {@code afterBatch}
 * runs with the batch's number (1, 2, ...) after its deletes and before its answer: a test can act between
 * batches there (take the lock away, say).
 */
public final class DeleteObjectsProxy implements AutoCloseable {
    private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern KEY = Pattern.compile("<Key>(.*?)</Key>", Pattern.DOTALL);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final S3Client store;
    private final String bucket;
    private final Predicate<String> failing;
    private final IntConsumer afterBatch;
    private final AtomicInteger batches = new AtomicInteger();
    private final List<String> reportedFailed = new CopyOnWriteArrayList<>();

    public DeleteObjectsProxy(InetSocketAddress target, S3Client store, String bucket, Predicate<String> failing,
                              IntConsumer afterBatch) throws IOException {
        this.target = target;
        this.store = store;
        this.bucket = bucket;
        this.failing = failing;
        this.afterBatch = afterBatch;
        this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "delete-objects-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** DeleteObjects requests answered so far. */
    public int batches() {
        return batches.get();
    }

    /** Keys answered with an {@code <Error>} so far. */
    public List<String> reportedFailed() {
        return List.copyOf(reportedFailed);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread thread = new Thread(() -> serve(client), "delete-objects-proxy");
                thread.setDaemon(true);
                thread.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("delete-objects proxy: " + e.getMessage());
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
            if (requestLine.startsWith("POST ") && requestLine.split(" ")[1].matches(".*[?&]delete(=[^&]*)?(&.*)?$")) {
                answerDelete(text, in, client.getOutputStream());
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

    private void answerDelete(String head, InputStream in, OutputStream out) throws IOException {
        if (header(head, "expect").map(v -> v.equalsIgnoreCase("100-continue")).orElse(false)) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        int length = Integer.parseInt(header(head, "content-length").orElseThrow(
                () -> new IOException("a DeleteObjects without Content-Length")));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        Matcher key = KEY.matcher(body);
        while (key.find()) {
            keys.add(unescape(key.group(1)));
        }
        List<ObjectIdentifier> deleted = new ArrayList<>();
        StringBuilder errors = new StringBuilder();
        for (String k : keys) {
            if (failing.test(k)) {
                reportedFailed.add(k);
                errors.append("<Error><Key>").append(escape(k)).append("</Key><Code>AccessDenied</Code>")
                        .append("<Message>refused by the test proxy</Message></Error>");
            } else {
                deleted.add(ObjectIdentifier.builder().key(k).build());
            }
        }
        if (!deleted.isEmpty()) {
            store.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(deleted).quiet(true)));
        }
        afterBatch.accept(batches.incrementAndGet());
        byte[] answer = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult "
                + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + errors + "</DeleteResult>")
                .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + answer.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(answer);
        out.flush();
    }

    private static java.util.Optional<String> header(String head, String name) {
        String wanted = name.toLowerCase(Locale.ROOT) + ":";
        return head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith(wanted))
                .map(l -> l.substring(wanted.length()).strip()).findFirst();
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
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
        }, "delete-objects-proxy-body");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

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
