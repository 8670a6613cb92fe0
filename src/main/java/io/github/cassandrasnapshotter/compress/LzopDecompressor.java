package io.github.cassandrasnapshotter.compress;

import io.airlift.compress.lzo.LzopHadoopStreams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Checksum;

/**
 * Reads lzop containers of every compression level.
 *
 * <p>aircompressor accepts only method byte 1 (LZO1X-1), but {@code lzop -1} writes 2 and
 * {@code lzop -7..-9} write 3 for the same LZO1X bitstream. The header is rewritten to method 1 with
 * its checksum recomputed before aircompressor sees it; the blocks pass through untouched.
 */
public final class LzopDecompressor {
    private static final byte[] MAGIC = LzopCompressor.MAGIC;
    private static final int F_H_FILTER = 0x800;
    private static final int F_H_CRC32 = 0x1000;
    private static final int METHOD_LZO1X_1 = LzopCompressor.METHOD_LZO1X_1;
    private static final int METHOD_LZO1X_1_15 = 2;
    private static final int METHOD_LZO1X_999 = 3;

    private static final LzopHadoopStreams STREAMS = new LzopHadoopStreams(LzopCompressor.BLOCK_SIZE);

    private LzopDecompressor() {
    }

    public static InputStream decompressing(InputStream in) throws IOException {
        return STREAMS.createInputStream(normalizeHeader(in));
    }

    /** Returns a stream with the same bytes as {@code in}, except a header method of 2 or 3 reads as 1. */
    static InputStream normalizeHeader(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        ByteArrayOutputStream header = new ByteArrayOutputStream(64);
        byte[] magic = new byte[MAGIC.length];
        readFully(data, magic);
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new IOException("Not an lzop file (bad magic bytes)");
            }
        }
        int version = copyShort(data, header);
        copyShort(data, header); // library version
        if (version >= 0x0940) {
            copyShort(data, header); // version needed to extract
        }
        int methodOffset = header.size();
        int method = copyByte(data, header);
        if (version >= 0x0940) {
            copyByte(data, header); // level
        }
        int flags = copyInt(data, header);
        if ((flags & F_H_FILTER) != 0) {
            copyInt(data, header);
        }
        copyInt(data, header); // mode
        copyInt(data, header); // mtime low
        if (version >= 0x0940) {
            copyInt(data, header); // mtime high
        }
        int nameLength = copyByte(data, header);
        byte[] name = new byte[nameLength];
        readFully(data, name);
        header.write(name);
        int storedChecksum = data.readInt();

        byte[] headerBytes = header.toByteArray();
        int checksum = storedChecksum;
        if (method == METHOD_LZO1X_1_15 || method == METHOD_LZO1X_999) {
            headerBytes[methodOffset] = METHOD_LZO1X_1;
            Checksum sum = (flags & F_H_CRC32) != 0 ? new CRC32() : new Adler32();
            sum.update(headerBytes, 0, headerBytes.length);
            checksum = (int) sum.getValue();
        }
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream(headerBytes.length + MAGIC.length + 4);
        rebuilt.write(MAGIC);
        rebuilt.write(headerBytes);
        rebuilt.write(checksum >>> 24);
        rebuilt.write(checksum >>> 16);
        rebuilt.write(checksum >>> 8);
        rebuilt.write(checksum);
        return new SequenceInputStream(new ByteArrayInputStream(rebuilt.toByteArray()), in);
    }

    private static void readFully(DataInputStream in, byte[] bytes) throws IOException {
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new IOException("Not an lzop file (truncated header)", e);
        }
    }

    private static int copyByte(DataInputStream in, ByteArrayOutputStream out) throws IOException {
        int value = in.readUnsignedByte();
        out.write(value);
        return value;
    }

    private static int copyShort(DataInputStream in, ByteArrayOutputStream out) throws IOException {
        int value = in.readUnsignedShort();
        out.write(value >>> 8);
        out.write(value);
        return value;
    }

    private static int copyInt(DataInputStream in, ByteArrayOutputStream out) throws IOException {
        int value = in.readInt();
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return value;
    }
}
