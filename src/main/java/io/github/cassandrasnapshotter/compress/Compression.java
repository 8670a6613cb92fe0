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

    public static Compression parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown compression '" + value + "' (expected lzo or none)");
        }
    }

    /** Which format an object is in, from its key: keys written by us or the old tool end in .lzo when compressed. */
    public static Compression ofKey(String key) {
        return key.endsWith(LZO.keySuffix) ? LZO : NONE;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
