package io.github.cassandrasnapshotter.bench;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The store's ingest limit: already-compressed files sent as multipart uploads with the AWS SDK,
 * {@code concurrency} parts in flight across all files, nothing else done to the bytes.
 */
final class RawIngest {
    private RawIngest() {
    }

    /** Uploads every file under {@code prefix}; returns the seconds it took. */
    static double upload(S3Client s3, String bucket, String prefix, List<Path> files, int partSize, int concurrency)
            throws Exception {
        ExecutorService parts = Executors.newFixedThreadPool(concurrency);
        Semaphore buffers = new Semaphore(concurrency);
        long started = System.nanoTime();
        try {
            List<Runnable> completions = new ArrayList<>();
            List<Future<?>> pending = new ArrayList<>();
            for (int f = 0; f < files.size(); f++) {
                Path file = files.get(f);
                String key = prefix + "/" + f + "-" + file.getFileName();
                String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
                List<Future<CompletedPart>> fileParts = new ArrayList<>();
                try (InputStream in = Files.newInputStream(file)) {
                    int number = 1;
                    while (true) {
                        buffers.acquire();
                        byte[] part = in.readNBytes(partSize);
                        if (part.length == 0 && number > 1) {
                            buffers.release();
                            break;
                        }
                        int partNumber = number++;
                        fileParts.add(parts.submit(() -> {
                            try {
                                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                        .partNumber(partNumber), RequestBody.fromContentProvider(
                                        () -> new ByteArrayInputStream(part), part.length, "application/octet-stream")).eTag();
                                return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                            } finally {
                                buffers.release();
                            }
                        }));
                        if (part.length < partSize) {
                            break;
                        }
                    }
                }
                pending.addAll(fileParts);
                completions.add(() -> complete(s3, bucket, key, uploadId, fileParts));
            }
            for (Future<?> part : pending) {
                part.get();
            }
            completions.forEach(Runnable::run);
        } finally {
            parts.shutdownNow();
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static void complete(S3Client s3, String bucket, String key, String uploadId, List<Future<CompletedPart>> parts) {
        List<CompletedPart> done = new ArrayList<>();
        for (Future<CompletedPart> part : parts) {
            try {
                done.add(part.get());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(done)));
    }

    static long size(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return total;
    }
}
