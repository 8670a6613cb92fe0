package io.github.cassandrasnapshotter.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every request that creates an object states the run's encryption and storage class, the copy too
 * (S3 does not carry a source's encryption over). What a store does with them: ServerSideEncryptionIT.
 */
class ObjectTargetTest {
    static final String KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void everyWriteRequestCarriesTheKmsKeyAndStorageClass() {
        ObjectTarget target = ObjectTarget.of(new S3Settings("b", "p", null, null, null, null, true, "STANDARD_IA", null, KEY), "p/k");
        PutObjectRequest put = target.putRequest().build();
        CreateMultipartUploadRequest multipart = target.createMultipartRequest();
        CopyObjectRequest copy = target.copyRequest("p/source");
        assertEquals(Arrays.asList(ServerSideEncryption.AWS_KMS, ServerSideEncryption.AWS_KMS, ServerSideEncryption.AWS_KMS),
                Arrays.asList(put.serverSideEncryption(), multipart.serverSideEncryption(), copy.serverSideEncryption()));
        assertEquals(Arrays.asList(KEY, KEY, KEY), Arrays.asList(put.ssekmsKeyId(), multipart.ssekmsKeyId(), copy.ssekmsKeyId()));
        assertEquals(Arrays.asList("STANDARD_IA", "STANDARD_IA", "STANDARD_IA"),
                Arrays.asList(put.storageClassAsString(), multipart.storageClassAsString(), copy.storageClassAsString()));
        assertEquals("p/source", copy.sourceKey());
        assertEquals("p/k", copy.destinationKey());
    }

    @Test
    void ssencIsAes256AndNoFlagIsNoEncryption() {
        ObjectTarget aes = ObjectTarget.of(new S3Settings("b", "p", null, null, null, null, true, null), "k");
        assertEquals(ServerSideEncryption.AES256, aes.copyRequest("s").serverSideEncryption());
        assertNull(aes.createMultipartRequest().ssekmsKeyId());
        ObjectTarget plain = ObjectTarget.of(new S3Settings("b", "p", null, null, null, null, false, null), "k");
        assertNull(plain.putRequest().build().serverSideEncryption());
        assertNull(plain.createMultipartRequest().serverSideEncryption());
        assertNull(plain.copyRequest("s").serverSideEncryption());
    }
}
