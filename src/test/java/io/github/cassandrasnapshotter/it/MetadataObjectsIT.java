package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.storage.MetadataObjects;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.storage.StorageObject;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;
import io.github.cassandrasnapshotter.testsupport.S3Bucket;
import io.github.cassandrasnapshotter.testsupport.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record an incremental run reads back and rewrites (a snapshot's manifest.json, to list the run) is
 * read through the same seal check restore makes, so a run with the key file never re-seals, and so
 * launders, a record someone changed in the bucket. Against S3Proxy over HTTP.
 */
class MetadataObjectsIT {
    @RegisterExtension
    static final S3Bucket S3 = new S3Bucket("records");
    static final ClientKeys KEYS = ClientKeys.generate();

    static S3Settings settings(ClientKeys keys) {
        return new S3Settings(S3.name(), "records", null, S3.endpoint(), S3ProxyServer.IDENTITY, S3ProxyServer.CREDENTIAL,
                false, null, null, null, keys);
    }

    final MetadataObjects objects = new MetadataObjects(S3.client());

    @Test
    void aSealedRecordReadsBackWithItsEtag() {
        byte[] content = "{\"runs\":[]}".getBytes(StandardCharsets.UTF_8);
        objects.put(settings(KEYS), StorageObject.json("records/sealed/manifest.json", content));
        MetadataObjects.Versioned read = objects.read(settings(KEYS), "records/sealed/manifest.json").orElseThrow();
        assertArrayEquals(content, read.content());
        HeadObjectResponse head = S3.client().headObject(b -> b.bucket(S3.name()).key("records/sealed/manifest.json"));
        assertEquals(head.eTag(), read.etag());
        assertEquals(Optional.empty(), objects.read(settings(KEYS), "records/none/manifest.json"));
    }

    @Test
    void aChangedRecordIsRefusedAndNamed() {
        String key = "records/changed/manifest.json";
        objects.put(settings(KEYS), StorageObject.json(key, "{\"runs\":[]}".getBytes(StandardCharsets.UTF_8)));
        HeadObjectResponse sealed = S3.client().headObject(b -> b.bucket(S3.name()).key(key));
        // Someone who can write to the bucket but has no key: other bytes, the seal kept as it was.
        S3.client().putObject(b -> b.bucket(S3.name()).key(key).metadata(sealed.metadata()),
                RequestBody.fromString("{\"runs\":[\"planted\"]}"));
        UnreadableObjectException changed = assertThrows(UnreadableObjectException.class,
                () -> objects.read(settings(KEYS), key));
        assertTrue(changed.getMessage().contains("s3://" + S3.name() + "/" + key)
                && changed.getMessage().contains("its seal does not match its content"), changed.getMessage());
    }

    @Test
    void aRecordWithoutASealOrOfAnotherKeyFileIsRefusedWithTheKeyFile() {
        String plain = "records/plain/manifest.json";
        objects.put(settings(null), StorageObject.json(plain, "{}".getBytes(StandardCharsets.UTF_8)));
        UnreadableObjectException unsealed = assertThrows(UnreadableObjectException.class,
                () -> objects.read(settings(KEYS), plain));
        assertTrue(unsealed.otherKeys() && unsealed.getMessage().contains("it has no seal"), unsealed.getMessage());
        assertTrue(objects.read(settings(null), plain).isPresent(), "without a key file, as before");

        String other = "records/other/manifest.json";
        objects.put(settings(ClientKeys.generate()), StorageObject.json(other, "{}".getBytes(StandardCharsets.UTF_8)));
        UnreadableObjectException otherKeys = assertThrows(UnreadableObjectException.class,
                () -> objects.read(settings(KEYS), other));
        assertTrue(otherKeys.otherKeys() && otherKeys.getMessage().contains("a key the key file does not hold"),
                otherKeys.getMessage());
    }
}
