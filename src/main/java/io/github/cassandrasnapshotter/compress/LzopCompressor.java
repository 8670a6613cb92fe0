package io.github.cassandrasnapshotter.compress;

import io.airlift.compress.lzo.LzoCompressor;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Adler32;

/**
 * Writes the lzop container that {@code lzop -d} and the old tool read: LZO1X-1 blocks from
 * aircompressor in the framing aircompressor's own lzop stream writes (same header, same block size).
 *
 * <p>What it adds: a block LZO cannot shrink by at least {@value #WORTH_PERCENT}% is stored as it is,
 * as lzop does with any block that does not shrink, and so are the blocks after it without trying,
 * 1, 2, 4 ... up to {@value #MAX_SKIPPED} of them while blocks keep failing, before LZO tries again.
 * Cassandra's default tables are LZ4-compressed already: LZO finds nothing there, yet trying costs
 * 0.7 CPU s per GB on a node whose CPU belongs to Cassandra. A table that starts compressing again
 * is noticed within {@value #MAX_SKIPPED} blocks (4 MB).
 */
public final class LzopCompressor extends OutputStream {
    /** lzop's own block size: 256 KiB of compressed output per block at most. */
    static final int BLOCK_SIZE = 256 * 1024;
    /** Input per block, so that even LZO's worst-case expansion fits in {@link #BLOCK_SIZE}. */
    static final int INPUT_BLOCK = BLOCK_SIZE - (BLOCK_SIZE / 16 + 64 + 3);
    static final int WORTH_PERCENT = 3;
    static final int MAX_SKIPPED = 16;

    static final byte[] MAGIC = {(byte) 0x89, 'L', 'Z', 'O', 0, '\r', '\n', 0x1a, '\n'};
    private static final int LZOP_VERSION = 0x1010;
    private static final int LZO_LIBRARY_VERSION = 0x2050;
    private static final int VERSION_NEEDED = 0x0940;
    static final int METHOD_LZO1X_1 = 1;
    private static final int LEVEL = 5;
    private static final int MODE_0644 = 0100644;

    private final LzoCompressor lzo = new LzoCompressor();
    private final OutputStream out;
    private final byte[] input = new byte[INPUT_BLOCK];
    private final byte[] output = new byte[lzo.maxCompressedLength(INPUT_BLOCK)];
    private final byte[] lengths = new byte[8];
    private int filled;
    private int poorInARow;
    private int skipLeft;
    private long blocksTried;
    private long blocksStored;
    private boolean closed;

    private LzopCompressor(OutputStream out) throws IOException {
        this.out = out;
        writeHeader();
    }

    /** Closing the returned stream finishes the container and closes {@code out}. */
    public static OutputStream compressing(OutputStream out) throws IOException {
        return new LzopCompressor(out);
    }

    @Override
    public void write(int b) throws IOException {
        input[filled++] = (byte) b;
        if (filled == INPUT_BLOCK) {
            writeBlock();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int n = Math.min(length, INPUT_BLOCK - filled);
            System.arraycopy(bytes, offset, input, filled, n);
            filled += n;
            offset += n;
            length -= n;
            if (filled == INPUT_BLOCK) {
                writeBlock();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (filled > 0) {
                writeBlock();
            }
            writeInt(0, 0);
            out.write(lengths, 0, 4);
        } finally {
            out.close();
        }
    }

    /** Blocks LZO was run on, and blocks stored as they are without trying (for tests). */
    long blocksTried() {
        return blocksTried;
    }

    long blocksStoredWithoutTrying() {
        return blocksStored;
    }

    private void writeBlock() throws IOException {
        int length = filled;
        filled = 0;
        if (skipLeft > 0) {
            skipLeft--;
            blocksStored++;
            writeRaw(length);
            return;
        }
        blocksTried++;
        int compressed = lzo.compress(input, 0, length, output, 0, output.length);
        if (compressed > length - length / 100 * WORTH_PERCENT) {
            skipLeft = Math.min(MAX_SKIPPED, 1 << Math.min(poorInARow, 30));
            poorInARow++;
        } else {
            poorInARow = 0;
        }
        if (compressed < length) {
            writeInt(0, length);
            writeInt(4, compressed);
            out.write(lengths, 0, 8);
            out.write(output, 0, compressed);
        } else {
            writeRaw(length);
        }
    }

    /** lzop's stored block: both lengths equal, then the bytes as they are. */
    private void writeRaw(int length) throws IOException {
        writeInt(0, length);
        writeInt(4, length);
        out.write(lengths, 0, 8);
        out.write(input, 0, length);
    }

    private void writeInt(int at, int value) {
        lengths[at] = (byte) (value >>> 24);
        lengths[at + 1] = (byte) (value >>> 16);
        lengths[at + 2] = (byte) (value >>> 8);
        lengths[at + 3] = (byte) value;
    }

    private void writeHeader() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        DataOutputStream header = new DataOutputStream(bytes);
        header.writeShort(LZOP_VERSION);
        header.writeShort(LZO_LIBRARY_VERSION);
        header.writeShort(VERSION_NEEDED);
        header.writeByte(METHOD_LZO1X_1);
        header.writeByte(LEVEL);
        header.writeInt(0); // flags: no block checksums, no filter
        header.writeInt(MODE_0644);
        header.writeInt((int) (System.currentTimeMillis() / 1000));
        header.writeInt(0); // mtime, high half
        header.writeByte(0); // no file name
        Adler32 checksum = new Adler32();
        checksum.update(bytes.toByteArray());
        header.writeInt((int) checksum.getValue());
        out.write(MAGIC);
        out.write(bytes.toByteArray());
    }
}
