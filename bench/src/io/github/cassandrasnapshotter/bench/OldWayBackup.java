package io.github.cassandrasnapshotter.bench;

import io.github.cassandrasnapshotter.storage.S3ClientFactory;
import io.github.cassandrasnapshotter.storage.S3Settings;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * cassandra_snapshotter 1.x's upload, re-created for the benchmark (its own JVM, measured as ours is):
 * four files at a time; each file piped through {@code lzop --stdout} at its default level, read in
 * 64 MB chunks, each chunk one multipart part sent on the file's one connection, with the SHA-256
 * and MD5 of the chunk computed (boto 2 hashed each part to sign it and for Content-MD5).
 *
 * <p>Arguments: endpoint bucket key-prefix root-folder list-file; keys from AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY.
 */
public final class OldWayBackup {
    private static final int PART_SIZE = 64 * 1024 * 1024;
    private static final int FILES_AT_ONCE = 4;
    private static final int PIPE_READ = 64 * 1024;
    private static final ThreadLocal<byte[]> CHUNK = ThreadLocal.withInitial(() -> new byte[PART_SIZE]);

    private OldWayBackup() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        String bucket = args[1];
        String prefix = args[2];
        Path root = Path.of(args[3]);
        List<String> files = Files.readAllLines(Path.of(args[4]));
        S3Settings settings = new S3Settings(bucket, prefix, S3Settings.DEFAULT_REGION, endpoint,
                System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"), false, null);
        ExecutorService pool = Executors.newFixedThreadPool(FILES_AT_ONCE);
        try (S3Client s3 = S3ClientFactory.create(settings, FILES_AT_ONCE)) {
            List<Future<Long>> uploads = new ArrayList<>();
            for (String file : files) {
                uploads.add(pool.submit(() -> upload(s3, bucket, prefix + "/" + file + ".lzo", root.resolve(file))));
            }
            long stored = 0;
            for (Future<Long> upload : uploads) {
                stored += upload.get();
            }
            System.out.println("old way: " + files.size() + " files, " + stored + " bytes stored");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Fills the chunk from lzop's pipe 64 KB (the pipe's capacity) at a time, as Python's read(n) on
     * a pipe does. One read of the whole 64 MB rest would make the JDK allocate and free a native
     * buffer of that size for every read call, which returns at most 64 KB from a pipe: measured,
     * 21 s of system time on the 5 GB file that neither tool would pay.
     */
    private static int readChunk(InputStream in, byte[] chunk) throws IOException {
        int length = 0;
        while (length < chunk.length) {
            int n = in.read(chunk, length, Math.min(PIPE_READ, chunk.length - length));
            if (n < 0) {
                break;
            }
            length += n;
        }
        return length;
    }

    private static long upload(S3Client s3, String bucket, String key, Path file) throws IOException, InterruptedException,
            NoSuchAlgorithmException {
        Process lzop = new ProcessBuilder("lzop", "--stdout", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        long stored = 0;
        try (InputStream in = lzop.getInputStream()) {
            int number = 1;
            // One chunk buffer per worker, read into: the re-creation should not pay for Java garbage
            // (64 MB arrays collected by full collections) where Python freed each chunk at once.
            byte[] chunk = CHUNK.get();
            while (true) {
                int length = readChunk(in, chunk);
                if (length == 0 && number > 1) {
                    break;
                }
                // boto 2 hashed each part with SHA-256 to sign it (SigV4) and with MD5 for Content-MD5. The SDK
                // signs the payload over http the same way, so its SHA-256 is that one; the MD5 is ours to do.
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                md5.update(chunk, 0, length);
                String contentMd5 = Base64.getEncoder().encodeToString(md5.digest());
                int part = number++;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(part)
                        .contentMD5(contentMd5), RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(chunk, 0, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
                stored += length;
                if (length < PART_SIZE) {
                    break;
                }
            }
        }
        if (lzop.waitFor() != 0) {
            throw new IOException("lzop failed on " + file);
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        return stored;
    }
}
