package io.github.cassandrasnapshotter.agent;

import io.github.cassandrasnapshotter.compress.Compression;
import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.storage.MultipartUploadStream;
import io.github.cassandrasnapshotter.storage.ObjectTarget;
import io.github.cassandrasnapshotter.storage.PartBufferPool;
import io.github.cassandrasnapshotter.storage.S3Settings;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Uploads one file in a single pass: each byte read is hashed (SHA-256), compressed and written to
 * a multipart upload. A file whose size or mtime changed while it was read is never completed:
 * the upload is aborted and the file read again.
 */
public final class FileUploader {
    public static final int MAX_ATTEMPTS = 3;
    private static final List<Duration> WAITS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(6));
    private static final int READ_BUFFER = 1 << 20;
    /** Each file worker reads through one buffer of its own, for every file it uploads. */
    private static final ThreadLocal<byte[]> READ = ThreadLocal.withInitial(() -> new byte[READ_BUFFER]);

    private final S3Client s3;
    private final S3Settings settings;
    private final StorageKeys keys;
    private final String snapshot;
    private final String host;
    private final Compression compression;
    private final PartBufferPool pool;
    private final Executor partExecutor;
    private final int partsInFlight;
    private final RateLimiter rateLimiter;
    private final LongAdder bytesRead;
    private final AgentStop stop;

    /** @param stop ends an upload in progress between two reads (the upload is aborted) */
    public FileUploader(S3Client s3, S3Settings settings, String snapshot, String host, Compression compression,
                        PartBufferPool pool, Executor partExecutor, int partsInFlight, RateLimiter rateLimiter,
                        LongAdder bytesRead, AgentStop stop) {
        this.stop = stop;
        this.s3 = s3;
        this.settings = settings;
        this.keys = new StorageKeys(settings.basePath());
        this.snapshot = snapshot;
        this.host = host;
        this.compression = compression;
        this.pool = pool;
        this.partExecutor = partExecutor;
        this.partsInFlight = partsInFlight;
        this.rateLimiter = rateLimiter;
        this.bytesRead = bytesRead;
    }

    /** The object key of a node file in this run's snapshot folder. */
    public String keyOf(NodeFile file) {
        return keys.dataKey(snapshot, host, file.path().toString(), compression, settings.clientSideEncryption());
    }

    /** Where a node file's object goes, recording the client-side key it is encrypted under (null: none). */
    public ObjectTarget targetOf(NodeFile file, Long keyId) {
        return ObjectTarget.of(settings, keyOf(file)).withKeyId(keyId);
    }

    public FileResult upload(NodeFile file) throws InterruptedException {
        String key = keyOf(file);
        UploadException last = null;
        int attempts = 0;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            attempts = attempt;
            try {
                return uploadOnce(file, key, attempt);
            } catch (UploadException e) {
                last = e;
                if (!e.retriable() || attempt == MAX_ATTEMPTS) {
                    break;
                }
                Thread.sleep(waitBefore(attempt + 1).toMillis());
            }
        }
        return FileResult.failed(file, key, attempts, last == null ? "not attempted" : last.getMessage());
    }

    /** The wait before attempt {@code attempt} (2 and up) of an upload or a record's PUT. */
    static Duration waitBefore(int attempt) {
        return WAITS.get(Math.min(attempt - 2, WAITS.size() - 1));
    }

    private FileResult uploadOnce(NodeFile file, String key, int attempt) throws UploadException, InterruptedException {
        MultipartUploadStream upload = null;
        long counted = 0;
        try {
            BasicFileAttributes before = Files.readAttributes(file.path(), BasicFileAttributes.class);
            if (!before.isRegularFile()) {
                throw new UploadException("cannot read " + file.path() + ": not a regular file", false, null);
            }
            MessageDigest sha256 = ContentHash.newDigest();
            ClientKeys clientKeys = settings.clientKeys();
            Long keyId = clientKeys == null ? null : clientKeys.primaryKeyId();
            long maxStored = compression.maxStoredSize(before.size());
            upload = new MultipartUploadStream(s3, ObjectTarget.of(settings, key).withKeyId(keyId), pool, partExecutor,
                    partsInFlight, clientKeys == null ? maxStored : ClientKeys.maxEncryptedSize(maxStored));
            byte[] buffer = READ.get();
            // original bytes -> SHA-256 -> compressed -> encrypted (with a key file) -> parts of the upload
            try (InputStream in = Files.newInputStream(file.path());
                 OutputStream out = compression.compressing(clientKeys == null ? new KeepOpen(upload)
                         : clientKeys.encrypting(new KeepOpen(upload)))) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    rateLimiter.acquire(n, stop);
                    stop.check("uploading " + file.path());
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    counted += n;
                    bytesRead.add(n);
                }
            }
            BasicFileAttributes after = Files.readAttributes(file.path(), BasicFileAttributes.class);
            if (after.size() != before.size() || counted != before.size()
                    || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
                throw new UploadException(file.path() + " changed while it was read (size " + before.size()
                        + " -> " + after.size() + ")", true, null);
            }
            upload.close();
            return FileResult.uploaded(file, key, counted, upload.length(), ContentHash.hex(sha256),
                    before.lastModifiedTime().toMillis(), compression.label(), attempt, keyId);
        } catch (InterruptedIOException e) {
            abort(upload);
            throw new InterruptedException("interrupted while uploading " + file.path());
        } catch (InterruptedException e) {
            abort(upload); // interrupted in the rate limiter's wait
            throw e;
        } catch (UploadException e) {
            abort(upload);
            bytesRead.add(-counted);
            throw e;
        } catch (NoSuchFileException | AccessDeniedException e) {
            abort(upload);
            throw new UploadException("cannot read " + file.path() + ": " + describe(e), false, e);
        } catch (IOException e) {
            abort(upload);
            bytesRead.add(-counted);
            throw new UploadException("upload of " + file.path() + " failed: " + describe(e), true, e);
        } catch (S3Exception e) {
            abort(upload);
            bytesRead.add(-counted);
            boolean retriable = e.statusCode() >= 500 || e.statusCode() == 408 || e.statusCode() == 429;
            throw new UploadException("upload of " + file.path() + " failed: S3 answered " + e.statusCode() + " "
                    + (e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode()), retriable, e);
        } catch (SdkException e) {
            abort(upload);
            bytesRead.add(-counted);
            throw new UploadException("upload of " + file.path() + " failed: " + e.getMessage(), true, e);
        } catch (RuntimeException e) {
            abort(upload);
            bytesRead.add(-counted);
            throw new UploadException("upload of " + file.path() + " failed: " + e, false, e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file (or a broken link)";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void abort(MultipartUploadStream upload) {
        if (upload != null) {
            upload.abort();
        }
    }

    /** Lets the compressor finish its container without completing the upload underneath. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
