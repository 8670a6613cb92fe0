package io.github.cassandrasnapshotter.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientKeysTest {
    static byte[] encrypt(ClientKeys keys, byte[] plain) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = keys.encrypting(stored)) {
            out.write(plain);
        }
        return stored.toByteArray();
    }

    static byte[] decrypt(ClientKeys keys, byte[] stored) throws IOException {
        try (InputStream in = new TamperedObjectException.Detecting(keys.decrypting(new ByteArrayInputStream(stored)))) {
            return in.readAllBytes();
        }
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(17).nextBytes(bytes);
        return bytes;
    }

    @Test
    void dataOfSeveralSegmentsComesBackAndIsNotStoredInTheClear() throws IOException {
        ClientKeys keys = ClientKeys.generate();
        byte[] plain = new byte[3 * (1 << 20) + 12345];
        Arrays.fill(plain, (byte) 'x');
        byte[] stored = encrypt(keys, plain);
        assertTrue(stored.length > plain.length && stored.length <= ClientKeys.maxEncryptedSize(plain.length),
                "stored " + stored.length + " bytes within the bound " + ClientKeys.maxEncryptedSize(plain.length));
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("xxxxxxxxxxxxxxxx"), "no plain run left");
        assertArrayEquals(plain, decrypt(keys, stored));
    }

    @Test
    void oneChangedByteIsATamperedObject() throws IOException {
        ClientKeys keys = ClientKeys.generate();
        byte[] stored = encrypt(keys, random(2 * (1 << 20)));
        stored[(1 << 20) + 100] ^= 1; // in the second segment
        assertThrows(TamperedObjectException.class, () -> decrypt(keys, stored));
        byte[] cut = Arrays.copyOf(encrypt(keys, random(2 * (1 << 20))), (1 << 20) + 40);
        assertThrows(TamperedObjectException.class, () -> decrypt(keys, cut), "cut after its first segment");
    }

    @Test
    void anotherKeyFileOpensNothing() throws IOException {
        byte[] stored = encrypt(ClientKeys.generate(), random(1000));
        assertThrows(TamperedObjectException.class, () -> decrypt(ClientKeys.generate(), stored));
    }

    @Test
    void aRotatedFileWritesWithItsNewKeyAndReadsWhatTheOldOneWrote() throws IOException {
        ClientKeys old = ClientKeys.generate();
        ClientKeys rotated = old.rotated();
        assertNotEquals(old.primaryKeyId(), rotated.primaryKeyId());
        assertEquals(java.util.List.of(rotated.primaryKeyId(), old.primaryKeyId()), rotated.keyIds());
        assertTrue(rotated.holds(old.primaryKeyId()));
        assertFalse(old.holds(rotated.primaryKeyId()));
        byte[] plain = random(5000);
        assertArrayEquals(plain, decrypt(rotated, encrypt(old, plain)));
        String seal = old.seal("b/s/manifest.json", plain);
        assertEquals(ClientKeys.SealCheck.VALID, rotated.check("b/s/manifest.json", plain, seal));
    }

    @Test
    void aSealHoldsOnlyForItsKeyAndItsBytes() {
        ClientKeys keys = ClientKeys.generate();
        byte[] record = "{\"sha256\":\"aa\"}".getBytes(StandardCharsets.UTF_8);
        String seal = keys.seal("p/1/_runs/1/h.json", record);
        assertEquals(ClientKeys.SealCheck.VALID, keys.check("p/1/_runs/1/h.json", record, seal));
        assertEquals(ClientKeys.SealCheck.INVALID, keys.check("p/1/_runs/1/other.json", record, seal), "moved");
        byte[] changed = "{\"sha256\":\"ab\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ClientKeys.SealCheck.INVALID, keys.check("p/1/_runs/1/h.json", changed, seal), "changed");
        assertEquals(ClientKeys.SealCheck.MISSING, keys.check("p/1/_runs/1/h.json", record, null));
        assertEquals(ClientKeys.SealCheck.INVALID, keys.check("p/1/_runs/1/h.json", record, "not base64!"));
        String otherSeal = ClientKeys.generate().seal("p/1/_runs/1/h.json", record);
        assertEquals(ClientKeys.SealCheck.OTHER_KEY, keys.check("p/1/_runs/1/h.json", record, otherSeal));
    }

    @Test
    void theFileReadsBackAndNeitherItsNameNorItsErrorsShowAKey() {
        ClientKeys keys = ClientKeys.generate();
        ClientKeys read = ClientKeys.parse(keys.text());
        assertEquals(keys.keyIds(), read.keyIds());
        byte[] record = {1, 2, 3};
        assertEquals(ClientKeys.SealCheck.VALID, read.check("k", record, keys.seal("k", record)));
        String keyValue = keys.text().replaceAll("(?s).*\"value\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        assertTrue(keyValue.length() > 20, "a key value in the file: " + keyValue);
        assertFalse(keys.toString().contains(keyValue));
        assertEquals("ClientKeys[keys=[" + keys.primaryKeyId() + "], primary=" + keys.primaryKeyId() + "]", keys.toString());
        String broken = keys.text().replace("\"data\"", "\"dat\"");
        InvalidKeyFileException e = assertThrows(InvalidKeyFileException.class, () -> ClientKeys.parse(broken));
        assertEquals("it has no \"data\" keyset", e.getMessage());
        String damaged = keys.text().replace(keyValue, keyValue.substring(0, 10));
        e = assertThrows(InvalidKeyFileException.class, () -> ClientKeys.parse(damaged));
        assertFalse(e.getMessage().contains(keyValue.substring(0, 10)), e.getMessage());
        assertEquals("it is not JSON", assertThrows(InvalidKeyFileException.class, () -> ClientKeys.parse("nope {")).getMessage());
    }

    @Test
    void aKeyFileIsMadeOwnerOnlyAndNeverOverwritten(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("keys.json");
        ClientKeys keys = ClientKeys.generate();
        KeyFile.create(file, keys);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(keys.keyIds(), KeyFile.read(file).keyIds());
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> KeyFile.create(file, ClientKeys.generate()));
        assertEquals(keys.keyIds(), KeyFile.read(file).keyIds(), "unchanged");
        ClientKeys rotated = keys.rotated();
        KeyFile.replace(file, rotated);
        assertEquals(rotated.keyIds(), KeyFile.read(file).keyIds());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        InvalidKeyFileException missing = assertThrows(InvalidKeyFileException.class, () -> KeyFile.read(dir.resolve("none")));
        assertTrue(missing.getMessage().startsWith("the key file " + dir.resolve("none") + " does not exist"), missing.getMessage());
    }
}
