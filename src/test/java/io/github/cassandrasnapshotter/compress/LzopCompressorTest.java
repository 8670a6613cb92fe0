package io.github.cassandrasnapshotter.compress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LzopCompressorTest {
    private static final int BLOCK = LzopCompressor.INPUT_BLOCK;

    @Test
    void storesIncompressibleDataWithoutTryingEveryBlock() throws IOException {
        byte[] original = random(200 * BLOCK, 7);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        LzopCompressor lzop = (LzopCompressor) LzopCompressor.compressing(stored);
        lzop.write(original);
        lzop.close();

        assertEquals(200, lzop.blocksTried() + lzop.blocksStoredWithoutTrying());
        // 1 + 2 + 4 + 8 blocks skipped after the first four failures, then 16 after each one.
        assertTrue(lzop.blocksTried() <= 4 + (200 - 15) / 17 + 1, "tried " + lzop.blocksTried());
        assertTrue(stored.size() < original.length + 200 * 8 + 64, "raw blocks cost 8 bytes each: " + stored.size());
        assertArrayEquals(original, decompress(stored.toByteArray()));
    }

    @Test
    void compressesAgainSoonAfterIncompressibleStretch() throws IOException {
        byte[] noise = random(100 * BLOCK, 3);
        byte[] text = new byte[100 * BLOCK];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + (i / 3) % 11);
        }
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        LzopCompressor lzop = (LzopCompressor) LzopCompressor.compressing(stored);
        lzop.write(noise);
        lzop.write(text);
        lzop.close();

        // At most MAX_SKIPPED blocks of the text go out as they are before LZO is tried on it again.
        long atMost = noise.length + (long) LzopCompressor.MAX_SKIPPED * BLOCK + text.length / 10;
        assertTrue(stored.size() < atMost, stored.size() + " bytes stored, expected under " + atMost);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(noise);
        both.write(text);
        assertArrayEquals(both.toByteArray(), decompress(stored.toByteArray()));
    }

    @Test
    void byteAtATimeWritesMakeTheSameContainerBody() throws IOException {
        byte[] original = new byte[BLOCK + 1000];
        for (int i = 0; i < original.length; i++) {
            original[i] = (byte) (i % 97 < 50 ? 'x' : i);
        }
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (var out = LzopCompressor.compressing(stored)) {
            for (byte b : original) {
                out.write(b);
            }
        }
        assertArrayEquals(original, decompress(stored.toByteArray()));
    }

    @Test
    void anEmptyFileIsAnEmptyContainer() throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        LzopCompressor.compressing(stored).close();
        assertEquals(0, decompress(stored.toByteArray()).length);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] decompress(byte[] stored) throws IOException {
        try (InputStream in = LzopDecompressor.decompressing(new ByteArrayInputStream(stored))) {
            return in.readAllBytes();
        }
    }
}
