package io.github.cassandrasnapshotter.compress;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;

/** How data files are stored: lzop containers (the old tool's format) or as they are. */
public enum Compression {
    LZO(".lzo"),
    NONE("");

    private final String keySuffix;

    Compression(String keySuffix) {
        this.keySuffix = keySuffix;
    }

    public String keySuffix() {
        return keySuffix;
    }

    public OutputStream compressing(OutputStream out) throws IOException {
        return this == LZO ? LzopCompressor.compressing(out) : out;
    }

    public InputStream decompressing(InputStream in) throws IOException {
        return this == LZO ? LzopDecompressor.decompressing(in) : in;
    }

    /**
     * An upper bound of the stored size of {@code originalSize} bytes: LZO1X's worst case expansion
     * (1/16 plus a little) and lzop's per-block headers.
     */
    public long maxStoredSize(long originalSize) {
        if (this == NONE) {
            return originalSize;
        }
        long blocks = originalSize / LzopCompressor.BLOCK_SIZE + 1;
        return originalSize + originalSize / 16 + blocks * 16 + 1024;
    }

    public static Compression parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compression '" + value + "' (expected lzo or none)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
