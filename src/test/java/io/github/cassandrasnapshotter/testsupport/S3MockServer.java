package io.github.cassandrasnapshotter.testsupport;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock 5.2.0 (copied by the build, never on the test classpath) in its own JVM, with its
 * objects in files under a folder. Unlike S3Proxy's transient store it answers a HEAD with the
 * server-side encryption the object was written with, and none for an object written without
 * (docs/testing.md, "S3"); it accepts only the SSE-KMS key ids it was started with. It checks no signature.
 */
public final class S3MockServer implements S3Server, AutoCloseable {
    private final Process process;
    private final int port;
    private final Path logFile;

    private S3MockServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** @param validKmsKeys the SSE-KMS key ARNs it accepts; it answers KMS.NotFoundException to others */
    public static S3MockServer start(Path workDir, String... validKmsKeys) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("test.servers.dir", "target/test-servers"), "s3mock.jar");
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (mvn verify)");
        }
        int port = FreePorts.find();
        Path root = Files.createDirectories(workDir.resolve("s3mock-store"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                // HTTP on a port of our own (its default, 9090, is fixed); server.port is its HTTPS connector.
                "--com.adobe.testing.s3mock.httpPort=" + port,
                "--server.port=" + FreePorts.find(),
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--spring.main.banner-mode=off"));
        if (validKmsKeys.length > 0) {
            command.add("--com.adobe.testing.s3mock.store.valid-kms-keys=" + String.join(",", validKmsKeys));
        }
        Path log = workDir.resolve("s3mock.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockServer server = new S3MockServer(process, port, log);
        try {
            server.awaitPort();
        } catch (IOException | RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public S3Client client() {
        return clientAt(endpoint());
    }

    /** A client of the server through a proxy at {@code endpoint}. */
    public static S3Client clientAt(String endpoint) {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)))
                .build();
    }

    /** About 10 s on a 2-core machine: Spring Boot opens the port once it is ready. */
    private void awaitPort() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited: " + Files.readString(logFile));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("S3Mock did not open port " + port + ": " + Files.readString(logFile));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
