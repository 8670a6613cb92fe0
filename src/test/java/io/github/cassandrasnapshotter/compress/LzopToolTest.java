package io.github.cassandrasnapshotter.compress;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's promise that {@code lzop -d} restores our objects exactly, checked with the real lzop on
 * what {@link LzopCompressor} writes: {@code lzop -t} accepts it and {@code lzop -dc} gives back the same
 * SHA-256. CI installs lzop (.ci/run), and there a missing lzop fails the test; elsewhere it is skipped,
 * with this reason, when lzop is not installed.
 */
class LzopToolTest {
    private static final int BLOCK = LzopCompressor.INPUT_BLOCK;

    @TempDir
    Path work;

    @BeforeAll
    static void lzopIsThere() throws Exception {
        boolean installed = run(List.of("lzop", "--version"), null).exit == 0;
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("lzop is not installed, and CI must run this test: .ci/run installs it");
        }
        assumeTrue(installed, "lzop is not installed here (apt-get install lzop)");
    }

    record Ran(int exit, byte[] stdout, String stderr) {
    }

    static Ran run(List<String> command, Path workDir) throws Exception {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            process = builder.start();
        } catch (IOException notInstalled) {
            return new Ran(127, new byte[0], String.valueOf(notInstalled.getMessage()));
        }
        process.getOutputStream().close();
        byte[] stdout;
        try (InputStream out = process.getInputStream()) {
            stdout = out.readAllBytes();
        }
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        return new Ran(process.exitValue(), stdout, stderr);
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Compresses {@code original} as a backup does, then has the real lzop test and decompress it. */
    void lzopRestoresExactly(String name, byte[] original) throws Exception {
        Path stored = work.resolve(name + ".lzo");
        try (OutputStream out = LzopCompressor.compressing(Files.newOutputStream(stored))) {
            out.write(original);
        }
        Ran test = run(List.of("lzop", "-t", stored.toString()), work);
        assertEquals(0, test.exit, name + ": lzop -t: " + test.stderr);
        Ran decompressed = run(List.of("lzop", "-dc", stored.toString()), work);
        assertEquals(0, decompressed.exit, name + ": lzop -dc: " + decompressed.stderr);
        assertEquals(original.length, decompressed.stdout.length, name);
        assertEquals(sha256(original), sha256(decompressed.stdout), name + ": the same bytes");
    }

    @Test
    void compressibleDataOfSeveralBlocks() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        for (int row = 0; text.size() < 3 * BLOCK + 1234; row++) {
            text.write(("row " + row + ": user" + (row % 97) + "@example.com,active,2026-12-02\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        lzopRestoresExactly("text", text.toByteArray());
    }

    @Test
    void incompressibleBlocksStoredAsTheyAreAndThenCompressibleOnesAgain() throws Exception {
        byte[] noise = new byte[20 * BLOCK];
        new Random(3).nextBytes(noise);
        byte[] mixed = new byte[noise.length + 2 * BLOCK];
        System.arraycopy(noise, 0, mixed, 0, noise.length);
        java.util.Arrays.fill(mixed, noise.length, mixed.length, (byte) 'a');
        lzopRestoresExactly("mixed", mixed);
    }

    @Test
    void anEmptyFileAndOneOfOneByte() throws Exception {
        lzopRestoresExactly("empty", new byte[0]);
        lzopRestoresExactly("one", new byte[] {42});
    }
}
