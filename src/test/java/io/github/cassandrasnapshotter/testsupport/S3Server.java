package io.github.cassandrasnapshotter.testsupport;

import software.amazon.awssdk.services.s3.S3Client;

/** A real S3 server of the tests, in its own JVM: S3Proxy, or S3Mock where S3Proxy cannot tell. */
public interface S3Server {
    String endpoint();

    /** A client of the server with the keys of {@link S3ProxyServer#AWS_ENV}. */
    S3Client client();
}
