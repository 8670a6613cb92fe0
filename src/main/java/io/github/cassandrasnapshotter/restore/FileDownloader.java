package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.DownloadResult;
import io.github.cassandrasnapshotter.agent.RestoreFile;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.agent.ContentHash;
import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.crypto.TamperedObjectException;
import io.github.cassandrasnapshotter.node.ProgressReporter;
import io.github.cassandrasnapshotter.storage.RangedObjectInputStream;
import io.github.cassandrasnapshotter.util.DaemonThreads;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Brings one stored file back: streams the object, decompresses it, hashes the original bytes on the
 * way and writes them to a private {@code .partial} file in a {@link RestoreFolder} that becomes the
 * destination (forced to disk, then renamed) only when its size and SHA-256 match the manifest. A file already at its destination with the recorded SHA-256 is left as
 * it is, so a restore run again fetches only what is missing. An object of more than two ranges is read
 * through several ranged GETs at a time (connections per file) rather than one GET: one connection is
 * capped by the store. Memory per download thread: one read buffer and a range buffer per connection.
 */
public final class FileDownloader {
    private static final int BUFFER = 1 << 20;
    /**
     * One read buffer per download thread, for its whole life: a buffer per file would be a
     * megabyte of old-generation garbage per file (the launcher pretenures buffers of a megabyte
     * and more), and a small heap spent its time in full collections (a 2.2 GB restore of 115
     * files: 25 full collections, 0.8 s of pauses).
     */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);
    /** Bytes of one ranged GET. */
    public static final int RANGE_SIZE = 8 << 20;
    /** Ranged GETs in flight ahead of one file's reader, unless told otherwise. */
    public static final int DEFAULT_CONNECTIONS_PER_FILE = 4;
    /** Each connection of a file holds a range buffer per download thread: 16 x 8 MB is plenty. */
    public static final int MAX_CONNECTIONS_PER_FILE = 16;
    /** A download thread's range buffers, made when it first needs them and kept for its later files. */
    private static final ThreadLocal<byte[][]> RANGE_BUFFERS = ThreadLocal.withInitial(() -> new byte[0][]);
    /** Runs the ranged GETs: at most download threads x connections per file at once, idle threads end. */
    private final ExecutorService rangeFetchers = Executors.newCachedThreadPool(DaemonThreads.named("snapshotter-range"));

    private final S3Client s3;
    private final String bucket;
    private final ClientKeys keys;
    private final ProgressReporter progress;
    private final Map<String, int[]> filesDone = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytesDone = new ConcurrentHashMap<>();

    /** @param keys the key file's keys, for objects encrypted on the node (null: none given) */
    public FileDownloader(S3Client s3, String bucket, ClientKeys keys, ProgressReporter progress) {
        this.s3 = s3;
        this.bucket = bucket;
        this.keys = keys;
        this.progress = progress;
    }

    /** The S3 connections a restore needs: every download thread's ranged GETs, and a few for the plan. */
    public static int connections(int downloadThreads, int connectionsPerFile) {
        return downloadThreads * connectionsPerFile + 4;
    }

    /** Announces each host's totals before the downloads start. */
    public void started(RestorePlan plan) {
        for (String host : plan.hosts()) {
            progress.started(host, (int) plan.files().stream().filter(f -> f.host().equals(host)).count(),
                    plan.files().stream().filter(f -> f.host().equals(host))
                            .mapToLong(f -> f.size() != null ? f.size() : f.storedSize()).sum());
        }
    }

    /**
     * Brings a file back to {@code <root>/<host>/<keyspace>/<table-dir>/<name>}.
     *
     * @param connectionsPerFile ranged GETs in flight for an object of more than two ranges; 1 for one GET
     */
    public DownloadResult download(RestoreFile file, Path root, int connectionsPerFile) {
        DownloadResult result;
        try {
            RestoreFolder folder = RestoreFolder.open(root);
            result = fetch(file, folder, file.destination(folder.root()), connectionsPerFile);
        } catch (IOException | InvalidInputException e) {
            result = DownloadResult.failed(file, "s3://" + bucket + "/" + file.key() + " was not restored: " + e.getMessage());
        }
        report(file, result.bytes());
        return result;
    }

    /** Brings a file back to a path in {@code folder} (an in-place restore's staging folder). */
    public DownloadResult downloadTo(RestoreFile file, RestoreFolder folder, Path destination, int connectionsPerFile) {
        DownloadResult result = fetch(file, folder, destination, connectionsPerFile);
        report(file, result.bytes());
        return result;
    }

    /** Fetches and checks a file without keeping it ({@code verify --deep}). */
    public DownloadResult check(RestoreFile file, int connectionsPerFile) {
        DownloadResult result = fetch(file, null, null, connectionsPerFile);
        report(file, result.bytes());
        return result;
    }

    private DownloadResult fetch(RestoreFile file, RestoreFolder folder, Path destination, int connectionsPerFile) {
        Path partial = destination == null ? null : destination.resolveSibling(destination.getFileName() + RestoreFile.PARTIAL_SUFFIX);
        FileChannel channel = null;
        try {
            if (folder != null) {
                folder.folder(destination.getParent()); // every level a real folder of ours, before anything is read there
            }
            if (destination != null && alreadyPresent(file, destination)) {
                return new DownloadResult(file, DownloadResult.Status.ALREADY_PRESENT, file.size(), null);
            }
            channel = folder == null ? null : folder.create(partial);
            MessageDigest digest = ContentHash.newDigest();
            long count = 0;
            try (InputStream object = open(file, connectionsPerFile);
                 InputStream in = StorageKeys.compressionOf(file.key()).decompressing(decrypted(file, object))) {
                OutputStream out = channel == null ? OutputStream.nullOutputStream() : Channels.newOutputStream(channel);
                byte[] buffer = BUFFERS.get();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    count += n;
                }
            }
            String sha256 = ContentHash.hex(digest);
            String mismatch = null;
            if (file.size() != null && count != file.size()) {
                mismatch = "size " + count + " where the manifest records " + file.size();
            } else if (file.sha256() != null && !file.sha256().equals(sha256)) {
                mismatch = "SHA-256 " + sha256 + " where the manifest records " + file.sha256();
            }
            if (mismatch != null) {
                return DownloadResult.failed(file, "s3://" + bucket + "/" + file.key() + " is corrupt: " + mismatch);
            }
            if (channel != null) {
                folder.commit(channel, partial, destination);
                channel = null;
            }
            return new DownloadResult(file, DownloadResult.Status.DOWNLOADED, count, null);
        } catch (NoSuchKeyException e) {
            return DownloadResult.failed(file, "s3://" + bucket + "/" + file.key() + " is missing from the store");
        } catch (TamperedObjectException e) {
            return DownloadResult.failed(file, "s3://" + bucket + "/" + file.key() + " fails authentication under key "
                    + file.keyId() + ": it was changed after it was written (" + e.getMessage() + ")");
        } catch (IOException | SdkException e) {
            return DownloadResult.failed(file, "s3://" + bucket + "/" + file.key() + " could not be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InvalidInputException e) {
            return DownloadResult.failed(file, "s3://" + bucket + "/" + file.key() + " was not restored: " + e.getMessage());
        } finally {
            if (channel != null) {
                discard(channel, partial);
            }
        }
    }

    /** A temporary file that is not to become the file: closed and removed. */
    private static void discard(FileChannel channel, Path partial) {
        try {
            channel.close();
            Files.deleteIfExists(partial);
        } catch (IOException e) {
            // Left behind: the next run replaces it (create removes what is at that name).
        }
    }

    /** An object encrypted on the node, decrypted; any other as it is. A byte changed in it fails its segment. */
    private InputStream decrypted(RestoreFile file, InputStream object) throws IOException {
        if (file.keyId() == null) {
            return object;
        }
        if (keys == null || !keys.holds(file.keyId())) {
            // the plan checks this before any download; an in-place agent's job is checked again here
            throw new IOException("it is encrypted under key " + file.keyId() + ", which the key file given does not hold");
        }
        return new TamperedObjectException.Detecting(keys.decrypting(object));
    }

    private InputStream open(RestoreFile file, int connectionsPerFile) {
        if (connectionsPerFile > 1 && file.storedSize() > 2L * RANGE_SIZE) {
            return new RangedObjectInputStream(s3, bucket, file.key(), file.storedSize(),
                    rangeBuffers(connectionsPerFile), rangeFetchers);
        }
        return s3.getObject(b -> b.bucket(bucket).key(file.key()));
    }

    /** This thread's first {@code count} range buffers, the missing ones made now. */
    private static byte[][] rangeBuffers(int count) {
        byte[][] buffers = RANGE_BUFFERS.get();
        if (buffers.length < count) {
            int made = buffers.length;
            buffers = Arrays.copyOf(buffers, count);
            for (int i = made; i < count; i++) {
                buffers[i] = new byte[RANGE_SIZE];
            }
            RANGE_BUFFERS.set(buffers);
        }
        return buffers.length == count ? buffers : Arrays.copyOf(buffers, count);
    }

    /** Whether the destination holds the file already: a file itself, never a link to one. */
    private static boolean alreadyPresent(RestoreFile file, Path destination) throws IOException {
        if (file.sha256() == null || file.size() == null || !Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)
                || Files.size(destination) != file.size()) {
            return false;
        }
        MessageDigest digest = ContentHash.newDigest();
        try (InputStream in = Files.newInputStream(destination, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = BUFFERS.get();
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return file.sha256().equals(ContentHash.hex(digest));
    }

    private void report(RestoreFile file, long bytes) {
        int files;
        synchronized (filesDone) {
            files = ++filesDone.computeIfAbsent(file.host(), h -> new int[1])[0];
        }
        long total = bytesDone.computeIfAbsent(file.host(), h -> new AtomicLong()).addAndGet(bytes);
        progress.progress(file.host(), files, total);
    }
}
