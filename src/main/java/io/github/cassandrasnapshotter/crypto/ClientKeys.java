package io.github.cassandrasnapshotter.crypto;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.Parameters;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A client-side encryption key file ({@code --encryption-key-file}, made by {@code keygen}): two Google
 * Tink keysets, one for the data objects (StreamingAead AES256_GCM_HKDF_1MB: authenticated, in 1 MB
 * segments) and one that authenticates the records restore trusts (HMAC-SHA256, file lists, summaries and
 * manifests, which stay readable JSON). Each keyset may hold several keys: new objects use the primary
 * one, older objects name theirs ({@link #primaryKeyId()}), so a rotated file still reads older backups.
 * All the cryptography is Tink's. {@link #toString()} shows key ids only; {@link #text()} is the secret
 * itself and goes only to a file of mode 0600 or an agent's stdin.
 */
public final class ClientKeys {
    public static final String FORMAT = "cassandra-snapshotter-keys/1";
    /** Binds a data object's ciphertext to its use: a record or another tool's ciphertext is not a data object. */
    private static final byte[] DATA_CONTEXT = "cassandra-snapshotter data object v1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        try {
            StreamingAeadConfig.register();
            MacConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle data;
    private final KeysetHandle records;
    private final StreamingAead cipher;
    private final Mac mac;
    private final String text;
    private final List<Long> keyIds;

    private ClientKeys(KeysetHandle data, KeysetHandle records) throws GeneralSecurityException {
        this.data = data;
        this.records = records;
        this.keyIds = dataKeyIds(data);
        this.cipher = data.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
        this.mac = records.getPrimitive(RegistryConfiguration.get(), Mac.class);
        ObjectNode file = JSON.createObjectNode();
        file.put("format", FORMAT);
        try {
            file.set("data", JSON.readTree(TinkJsonProtoKeysetFormat.serializeKeyset(data, InsecureSecretKeyAccess.get())));
            file.set("records", JSON.readTree(TinkJsonProtoKeysetFormat.serializeKeyset(records, InsecureSecretKeyAccess.get())));
            this.text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file) + "\n";
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot write the keysets as JSON", e);
        }
    }

    /** A new key file: one key in each keyset. */
    public static ClientKeys generate() {
        try {
            return new ClientKeys(KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB),
                    KeysetHandle.generateNew(PredefinedMacParameters.HMAC_SHA256_256BITTAG));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not generate keys: " + e.getMessage(), e);
        }
    }

    /** These keys and a new primary key in each keyset: new objects use it, older ones still read. */
    public ClientKeys rotated() {
        try {
            return new ClientKeys(withNewPrimary(data, PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB),
                    withNewPrimary(records, PredefinedMacParameters.HMAC_SHA256_256BITTAG));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not add a key: " + e.getMessage(), e);
        }
    }

    private static KeysetHandle withNewPrimary(KeysetHandle keys, Parameters parameters) throws GeneralSecurityException {
        return KeysetHandle.newBuilder(keys)
                .addEntry(KeysetHandle.generateEntryFromParameters(parameters).withRandomId().makePrimary())
                .build();
    }

    /**
     * A key file's content.
     *
     * @throws InvalidKeyFileException naming what is wrong, never a byte of the keys
     */
    @JsonCreator
    public static ClientKeys parse(String text) {
        JsonNode file;
        try {
            file = JSON.readTree(text);
        } catch (IOException e) {
            throw new InvalidKeyFileException("it is not JSON");
        }
        if (file == null || !file.isObject() || !FORMAT.equals(file.path("format").asText())) {
            throw new InvalidKeyFileException("it is not a key file made by 'cassandra-snapshotter keygen' (no \"format\": \""
                    + FORMAT + "\")");
        }
        KeysetHandle data = keyset(file, "data");
        KeysetHandle records = keyset(file, "records");
        try {
            return new ClientKeys(data, records);
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyFileException("its keys are not of the kinds keygen makes (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeysetHandle keyset(JsonNode file, String name) {
        JsonNode keyset = file.get(name);
        if (keyset == null || !keyset.isObject()) {
            throw new InvalidKeyFileException("it has no \"" + name + "\" keyset");
        }
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(keyset.toString(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyFileException("its \"" + name + "\" keyset cannot be read by Tink");
        }
    }

    /** The key file's content (secret). */
    @JsonValue
    public String text() {
        return text;
    }

    /** The id of the key new data objects are encrypted with, as an unsigned number. */
    public long primaryKeyId() {
        return Integer.toUnsignedLong(data.getPrimary().getId());
    }

    /** Every data key id of the file, primary first. */
    public List<Long> keyIds() {
        return keyIds;
    }

    /** Whether an object encrypted under key {@code keyId} can be read with this file. */
    public boolean holds(long keyId) {
        return keyIds.contains(keyId);
    }

    private static List<Long> dataKeyIds(KeysetHandle data) {
        long primary = Integer.toUnsignedLong(data.getPrimary().getId());
        List<Long> ids = new ArrayList<>();
        ids.add(primary);
        for (int i = 0; i < data.size(); i++) {
            long id = Integer.toUnsignedLong(data.getAt(i).getId());
            if (id != primary) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    /** Encrypts what is written under the primary key; closing it writes the last segment and closes {@code out}. */
    public OutputStream encrypting(OutputStream out) throws IOException {
        JitWarmUp.done();
        try {
            return cipher.newEncryptingStream(out, DATA_CONTEXT);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start encrypting: " + e.getMessage(), e);
        }
    }

    /** Decrypts a data object; a changed byte is an IOException at the segment that holds it. */
    public InputStream decrypting(InputStream in) throws IOException {
        JitWarmUp.done();
        try {
            return cipher.newDecryptingStream(in, DATA_CONTEXT);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start decrypting: " + e.getMessage(), e);
        }
    }

    /** The seal of a record stored under {@code objectKey}: a MAC of its key and its exact bytes. */
    public String seal(String objectKey, byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(mac.computeMac(sealed(objectKey, content)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink could not compute a MAC: " + e.getMessage(), e);
        }
    }

    /** What a record's seal says. */
    public enum SealCheck {
        /** Made by a key of this file for this object key and these bytes. */
        VALID,
        /** No seal: written without a key file. */
        MISSING,
        /** Made by a key this file does not hold: another key file. */
        OTHER_KEY,
        /** Made by a key of this file, but not for these bytes or this key: changed since it was written. */
        INVALID
    }

    /** Whether {@code seal} was made by a key of this file for this key and these bytes, and if not, why. */
    public SealCheck check(String objectKey, byte[] content, String seal) {
        if (seal == null || seal.isBlank()) {
            return SealCheck.MISSING;
        }
        byte[] tag;
        try {
            tag = Base64.getDecoder().decode(seal.strip());
        } catch (IllegalArgumentException e) {
            return SealCheck.INVALID;
        }
        // Tink's prefix of a MAC: 0x01 and the id of the key that made it.
        if (tag.length > 5 && tag[0] == 1 && !recordKeyIds().contains(ByteBuffer.wrap(tag, 1, 4).getInt())) {
            return SealCheck.OTHER_KEY;
        }
        try {
            mac.verifyMac(tag, sealed(objectKey, content));
            return SealCheck.VALID;
        } catch (GeneralSecurityException e) {
            return SealCheck.INVALID;
        }
    }

    private List<Integer> recordKeyIds() {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ids.add(records.getAt(i).getId());
        }
        return ids;
    }

    private static byte[] sealed(String objectKey, byte[] content) {
        byte[] key = objectKey.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[key.length + 1 + content.length];
        System.arraycopy(key, 0, input, 0, key.length);
        System.arraycopy(content, 0, input, key.length + 1, content.length);
        return input;
    }

    /**
     * The JDK's AES-GCM is fast (about 0.6 CPU s per GB here) only once the JIT has compiled its callers, and
     * with 1 MB segments they are called once per megabyte: a JVM ran its first 256 MB at 4.7 CPU s each way
     * before that. Encrypting and decrypting 8 MB in 4 KB segments with a throwaway key first, once per JVM
     * that encrypts or decrypts (0.7 CPU s), brought those 256 MB to 0.5 and 0.4 CPU s. Other threads wait
     * for it in the class initialiser.
     */
    private static final class JitWarmUp {
        static {
            try {
                StreamingAead scratch = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_4KB)
                        .getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
                byte[] chunk = new byte[64 << 10];
                for (int i = 0; i < 128; i++) {
                    java.io.ByteArrayOutputStream sealed = new java.io.ByteArrayOutputStream(chunk.length + 1024);
                    try (OutputStream out = scratch.newEncryptingStream(sealed, DATA_CONTEXT)) {
                        out.write(chunk);
                    }
                    try (InputStream in = scratch.newDecryptingStream(new java.io.ByteArrayInputStream(sealed.toByteArray()),
                            DATA_CONTEXT)) {
                        in.readAllBytes();
                    }
                }
            } catch (GeneralSecurityException | IOException e) {
                // only slower: the data's own streams say what is wrong with the crypto, if anything
            }
        }

        static void done() {
            // the class initialiser ran
        }
    }

    /** Upper bound of an encrypted object's size for {@code plainSize} bytes: header and a tag per segment. */
    public static long maxEncryptedSize(long plainSize) {
        return plainSize + (plainSize / ((1 << 20) - 64) + 2) * 16 + 128;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientKeys keys && keys.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return "ClientKeys[keys=" + keyIds() + ", primary=" + primaryKeyId() + "]";
    }
}
