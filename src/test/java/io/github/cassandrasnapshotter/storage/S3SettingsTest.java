package io.github.cassandrasnapshotter.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.AgentJob;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.manifest.FileKind;
import io.github.cassandrasnapshotter.compress.Compression;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Temporary credentials: the session token travels with the keys in the agent's job (its stdin, as
 * the coordinator writes it and the agent reads it) and signs the agent's requests, and is never shown.
 * (S3Proxy 4.1.0 answers 501 to any request with x-amz-security-token, so no test against it can use one.)
 */
class S3SettingsTest {
    static final String SECRET = "s3cr3t-value-0042";
    static final String TOKEN = "FwoGZXIvYXdzEXAMPLE-session-token-0042";

    static S3Settings temporary() {
        return new S3Settings("b", "p", "eu-west-1", "http://127.0.0.1:9", "ASIAEXAMPLE", SECRET, false, null, TOKEN);
    }

    @Test
    void theSessionTokenReachesTheAgentsClientThroughTheJobJson() throws Exception {
        AgentJob job = new AgentJob("2", "h1", "20260101000000", "20260101000000", FileKind.SNAPSHOT, temporary(), List.of(), "", List.of(),
                "conf", Compression.LZO, 12, 8, 8, 0, List.of(), false, true);
        ObjectMapper json = new ObjectMapper();
        AgentJob received = json.readValue(json.writeValueAsBytes(job), AgentJob.class);
        assertEquals(TOKEN, received.s3().sessionToken());

        try (S3Client client = S3ClientFactory.create(received.s3(), 4)) {
            AwsCredentialsIdentity credentials = client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            AwsSessionCredentialsIdentity session = assertInstanceOf(AwsSessionCredentialsIdentity.class, credentials);
            assertEquals("ASIAEXAMPLE", session.accessKeyId());
            assertEquals(TOKEN, session.sessionToken());
        }
    }

    @Test
    void longTermKeysHaveNoToken() throws Exception {
        S3Settings keys = new S3Settings("b", "p", null, null, "AKIAEXAMPLE", SECRET, false, null, " ");
        assertNull(keys.sessionToken());
        try (S3Client client = S3ClientFactory.create(keys, 4)) {
            assertFalse(client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join()
                    instanceof AwsSessionCredentialsIdentity);
        }
    }

    @Test
    void neitherTheSecretNorTheTokenIsShown() {
        AgentJob job = new AgentJob("2", "h1", "20260101000000", "20260101000000", FileKind.SNAPSHOT, temporary(), List.of(), "", List.of(),
                "conf", Compression.LZO, 12, 8, 8, 0, List.of(), false, true);
        for (String shown : List.of(temporary().toString(), job.toString())) {
            assertFalse(shown.contains(TOKEN), shown);
            assertFalse(shown.contains(SECRET), shown);
        }
    }

    @Test
    void theKmsKeyReachesTheAgentThroughTheJobJsonAndWinsOverSsenc() throws Exception {
        S3Settings kms = new S3Settings("b", "p", null, null, null, null, true, null, null, "alias/backups");
        AgentJob job = new AgentJob("2", "h1", "20260101000000", "20260101000000", FileKind.SNAPSHOT, kms, List.of(), "", List.of(),
                "conf", Compression.LZO, 12, 8, 8, 0, List.of(), false, true);
        ObjectMapper json = new ObjectMapper();
        AgentJob received = json.readValue(json.writeValueAsBytes(job), AgentJob.class);
        assertEquals(new ObjectEncryption(ServerSideEncryption.AWS_KMS, "alias/backups"), received.s3().encryption());
        assertEquals(ObjectEncryption.AES256, new S3Settings("b", "p", null, null, null, null, true, null).encryption());
        assertEquals(ObjectEncryption.NONE, new S3Settings("b", "p", null, null, null, null, false, null).encryption());
    }
}
