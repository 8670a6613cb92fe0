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
import java.util.concurrent.TimeUnit;

/**
 * Adobe S3Mock 5.2.0 in its own JVM: unlike S3Proxy it keeps object keys exactly, so a key with
 * {@code //} (cassandra_snapshotter 1.0.x) stays as written. Its HTTP port is 9090, fixed.
 */
public final class S3MockServer implements AutoCloseable {
    public static final int HTTP_PORT = 9090;

    private final Process process;
    private final Path log;

    private S3MockServer(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static S3MockServer start(Path workDir) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("test.servers.dir", "target/test-servers"), "s3mock.jar");
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (mvn verify)");
        }
        Path store = Files.createDirectories(workDir.resolve("s3mock-store"));
        Path log = workDir.resolve("s3mock.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "--server.port=" + FreePorts.find(),
                "--com.adobe.testing.s3mock.store.root=" + store)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockServer server = new S3MockServer(process, log);
        server.awaitPort();
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + HTTP_PORT;
    }

    public S3Client client() {
        return S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL)))
                .build();
    }

    private void awaitPort() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", HTTP_PORT)) {
                if (Files.readString(log).contains("Started S3MockApplication")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("S3Mock did not start on port " + HTTP_PORT + ": " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
