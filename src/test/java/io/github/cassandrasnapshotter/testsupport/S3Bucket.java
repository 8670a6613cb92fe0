package io.github.cassandrasnapshotter.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test class's S3 server (S3Proxy in its own JVM) with one bucket, started before its tests and
 * stopped after them: {@code @RegisterExtension static final S3Bucket BUCKET = new S3Bucket("name");}
 */
public final class S3Bucket implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private Path directory;
    private S3ProxyServer server;
    private S3Client client;

    public S3Bucket(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        directory = Files.createTempDirectory("s3proxy-");
        server = S3ProxyServer.start(directory);
        client = server.client();
        client.createBucket(b -> b.bucket(name));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (directory != null) {
            TempFolders.deleteQuietly(directory);
        }
    }

    public String name() {
        return name;
    }

    public S3ProxyServer server() {
        return server;
    }

    public String endpoint() {
        return server.endpoint();
    }

    public S3Client client() {
        return client;
    }

    public S3Objects objects() {
        return new S3Objects(client, name);
    }
}
