package io.github.cassandrasnapshotter.compress;

import io.github.cassandrasnapshotter.testsupport.S3Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LzopDecompressorTest {

    /** Fixtures made by lzop 1.04 (LZO 2.10) from one 300,000-byte file, at levels 1, 3 (default) and 9. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 9})
    void readsFilesWrittenByRealLzopAtEveryLevel(int level) throws IOException {
        String expected;
        try (InputStream sha = getClass().getResourceAsStream("/lzop/sample.bin.sha256")) {
            expected = new String(sha.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        try (InputStream fixture = getClass().getResourceAsStream("/lzop/sample.level" + level + ".lzo");
             InputStream in = LzopDecompressor.decompressing(fixture)) {
            assertEquals(expected, S3Objects.sha256(in));
        }
    }

    @Test
    void roundTripsOurOwnOutputAcrossManyBlocks() throws IOException {
        byte[] original = new byte[3 * LzopCompressor.BLOCK_SIZE + 12345];
        Random random = new Random(1);
        for (int i = 0; i < original.length; i++) {
            original[i] = (byte) (random.nextInt(10) == 0 ? random.nextInt() : 'a' + i % 7);
        }
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = LzopCompressor.compressing(compressed)) {
            out.write(original);
        }
        assertTrue(compressed.size() < original.length / 2, "compressible data shrinks: " + compressed.size());
        try (InputStream in = LzopDecompressor.decompressing(new ByteArrayInputStream(compressed.toByteArray()))) {
            assertArrayEquals(original, in.readAllBytes());
        }
    }

    @Test
    void rejectsWhatIsNotLzop() {
        IOException e = assertThrows(IOException.class, () -> LzopDecompressor.decompressing(
                new ByteArrayInputStream("definitely not lzop data".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("Not an lzop file"), e.getMessage());
    }

    @Test
    void storedSizeBoundHoldsForIncompressibleData() throws IOException {
        byte[] original = new byte[LzopCompressor.BLOCK_SIZE * 2 + 99];
        new Random(7).nextBytes(original);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = Compression.LZO.compressing(compressed)) {
            out.write(original);
        }
        assertTrue(compressed.size() <= Compression.LZO.maxStoredSize(original.length),
                compressed.size() + " > " + Compression.LZO.maxStoredSize(original.length));
    }
}
