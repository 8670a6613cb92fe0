package io.github.cassandrasnapshotter.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of original bytes: the content identity the manifests record. */
public final class ContentHash {
    private static final int READ_BUFFER = 1 << 20;

    private ContentHash() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The SHA-256 of a file, or null when it changed while it was read (size or mtime differ after),
     * in which case the caller uploads it, which has its own torn-file handling.
     */
    static String ofFile(Path path, BasicFileAttributes before) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[READ_BUFFER];
        long counted = 0;
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                counted += n;
            }
        }
        BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class);
        if (counted != before.size() || after.size() != before.size()
                || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
            return null;
        }
        return hex(digest);
    }
}
