package io.github.cassandrasnapshotter.compress;

import io.airlift.compress.lzo.LzopHadoopStreams;

import java.io.IOException;
import java.io.OutputStream;

/** Writes the lzop container that `lzop -d` and the old tool read. */
public final class LzopCompressor {
    /** lzop's own block size: 256 KiB of input per block. */
    static final int BLOCK_SIZE = 256 * 1024;

    private static final LzopHadoopStreams STREAMS = new LzopHadoopStreams(BLOCK_SIZE);

    private LzopCompressor() {
    }

    /** Closing the returned stream finishes the container and closes {@code out}. */
    public static OutputStream compressing(OutputStream out) throws IOException {
        return STREAMS.createOutputStream(out);
    }
}
