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
import java.util.List;
import java.time.Duration;
import java.time.Instant;

/**
 * A real S3 server over HTTP: S3Proxy 4.1.0 (from Maven Central, copied by the build) in its own
 * JVM with the in-memory {@code transient} store. That store answers {@code x-amz-server-side-encryption:
 * AES256} for every object, whatever its PUT asked for: encryption and storage class are checked on
 * S3Mock, which keeps what it was told ({@link S3MockServer}, ServerSideEncryptionIT).
 */
public final class S3ProxyServer implements S3Server, AutoCloseable {
    public static final String IDENTITY = "snapshotter-test-identity";
    public static final String CREDENTIAL = "s3cr3t-Cr3dential-value-0042";
    /** The environment a tool run takes these keys from ({@code --aws-keys-from-env}). */
    public static final java.util.Map<String, String> AWS_ENV = java.util.Map.of(
            "AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL);

    private final Process process;
    private final int port;
    private final Path logFile;

    private S3ProxyServer(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    public static S3ProxyServer start(Path workDir) throws IOException, InterruptedException {
        return start(workDir, List.of("jclouds.provider=transient"));
    }

    /** An S3Proxy that keeps its objects in files under {@code storeDir} (the benchmark's gigabytes). */
    public static S3ProxyServer startOnDisk(Path workDir, Path storeDir) throws IOException, InterruptedException {
        Files.createDirectories(storeDir);
        return start(workDir, List.of("jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + storeDir));
    }

    private static S3ProxyServer start(Path workDir, List<String> store) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("test.servers.dir", "target/test-servers"), "s3proxy.jar");
        if (!Files.isReadable(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (mvn verify)");
        }
        int port = FreePorts.find();
        Path properties = workDir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                String.join("\n", store),
                "jclouds.identity=" + IDENTITY,
                "jclouds.credential=" + CREDENTIAL, ""));
        Path log = workDir.resolve("s3proxy.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1500m", "-jar", jar.toString(), "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3ProxyServer server = new S3ProxyServer(process, port, log);
        server.awaitPort();
        return server;
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public S3Client client() {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .build();
    }

    private void awaitPort() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(logFile));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("S3Proxy did not open port " + port + ": " + Files.readString(logFile));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
