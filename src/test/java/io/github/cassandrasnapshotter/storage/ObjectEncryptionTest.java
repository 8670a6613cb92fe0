package io.github.cassandrasnapshotter.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whether an object stored with some server-side encryption may be named by a run that writes another. */
class ObjectEncryptionTest {
    static final String ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void aRunWithoutSseTakesAnything() {
        assertTrue(ObjectEncryption.NONE.satisfiedBy(null, null));
        assertTrue(ObjectEncryption.NONE.satisfiedBy(ServerSideEncryption.AES256, null));
        assertTrue(ObjectEncryption.NONE.satisfiedBy(ServerSideEncryption.AWS_KMS, ARN));
    }

    @Test
    void sseS3TakesSseS3OrKms() {
        assertFalse(ObjectEncryption.AES256.satisfiedBy(null, null));
        assertTrue(ObjectEncryption.AES256.satisfiedBy(ServerSideEncryption.AES256, null));
        assertTrue(ObjectEncryption.AES256.satisfiedBy(ServerSideEncryption.AWS_KMS, ARN));
    }

    @Test
    void sseKmsTakesTheSameKeyByIdOrArnOnly() {
        ObjectEncryption byId = ObjectEncryption.of(false, ID);
        ObjectEncryption byArn = ObjectEncryption.of(false, ARN);
        assertTrue(byId.satisfiedBy(ServerSideEncryption.AWS_KMS, ARN), "a HEAD reports the key's ARN");
        assertTrue(byArn.satisfiedBy(ServerSideEncryption.AWS_KMS, ARN));
        assertFalse(byId.satisfiedBy(ServerSideEncryption.AWS_KMS, ARN.replace("1234abcd", "9999abcd")), "another key");
        assertFalse(byId.satisfiedBy(ServerSideEncryption.AWS_KMS, "arn:aws:kms:eu-west-1:123456789012:key/0" + ID),
                "a key whose id ends like it");
        assertFalse(byId.satisfiedBy(ServerSideEncryption.AES256, null), "SSE-S3");
        assertFalse(byId.satisfiedBy(null, null), "none");
        assertFalse(ObjectEncryption.of(false, "alias/backups").satisfiedBy(ServerSideEncryption.AWS_KMS, ARN),
                "an alias cannot be compared with the key a HEAD reports");
        assertTrue(new ObjectEncryption(ServerSideEncryption.AWS_KMS, null).satisfiedBy(ServerSideEncryption.AWS_KMS, ARN),
                "the account's default KMS key: any KMS key");
    }
}
