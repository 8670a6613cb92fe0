package io.github.cassandrasnapshotter.backup;

import io.github.cassandrasnapshotter.compress.Compression;

import java.util.Objects;

/**
 * How fast and in what form the files go to the store; none of it changes what a backup holds, only
 * {@code compression} changes how it is stored. The defaults are in {@code application.properties}.
 * Node memory is bounded by {@code partSizeMb} x ({@code partsInFlight} + {@code filesAtOnce}).
 *
 * @param partSizeMb         {@code --buffer-size}: multipart part size; a file that would need more than
 *                           10,000 parts gets larger ones on its node
 * @param connectionPoolSize {@code --connection-pool-size}: hosts worked on at once by the coordinator
 * @param filesAtOnce        {@code --files-at-once}: files uploaded at once on each node
 * @param partsInFlight      {@code --parts-in-flight}: parts uploading at once on each node, all files together
 * @param rateLimitKbps      {@code --rate-limit}: KB/s for all uploads of one node together; {@link #NO_RATE_LIMIT} for none
 * @param compression        {@code --compression}
 * @param compareContent     {@code --compare-content}: hash files that look unchanged (name, size, modification
 *                           time) before reusing an earlier run's object
 */
public record UploadTuning(int partSizeMb, int connectionPoolSize, int filesAtOnce, int partsInFlight,
                           long rateLimitKbps, Compression compression, boolean compareContent) {
    /** The {@code rateLimitKbps} of no limit. */
    public static final long NO_RATE_LIMIT = 0;

    public UploadTuning {
        Objects.requireNonNull(compression, "compression");
    }
}
