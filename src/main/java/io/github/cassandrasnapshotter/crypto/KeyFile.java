package io.github.cassandrasnapshotter.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Reads and writes key files: created with mode 0600, never over another file, replaced atomically on rotation. */
public final class KeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);
    private static final long MAX_SIZE = 1 << 20;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private KeyFile() {
    }

    /** @throws InvalidKeyFileException naming the file and what is wrong with it */
    public static ClientKeys read(Path file) {
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw new InvalidKeyFileException("the key file " + file + " cannot be used: it is larger than 1 MB");
            }
            warnIfOthersCanRead(file);
            return ClientKeys.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new InvalidKeyFileException("the key file " + file + " does not exist ('cassandra-snapshotter keygen "
                    + file + "' makes one)");
        } catch (InvalidKeyFileException e) {
            throw e.getMessage().startsWith("the key file ") ? e
                    : new InvalidKeyFileException("the key file " + file + " cannot be used: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidKeyFileException("the key file " + file + " cannot be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static void warnIfOthersCanRead(Path file) throws IOException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            mode.removeAll(OWNER_ONLY);
            mode.remove(PosixFilePermission.OWNER_EXECUTE);
            if (!mode.isEmpty()) {
                LOG.warn("the key file {} can be read by others than its owner (mode {}): chmod 600 it",
                        file, PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to say
        }
    }

    /** Writes a new key file, mode 0600 from its creation; an existing file is left as it is. */
    public static void create(Path file, ClientKeys keys) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(file.toString(), null, "it exists already (keygen --rotate adds a key to it)");
        }
        write(file, keys);
        syncFolder(file);
    }

    /** Replaces a key file by {@code keys}: written beside it, synced, then renamed over it. */
    public static void replace(Path file, ClientKeys keys) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        write(temporary, keys);
        try {
            // the daemon that reads it may run as another user than the one who rotates it (sudo)
            Files.setOwner(temporary, Files.getOwner(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("the key file {} now belongs to {}: chown it back if another user reads it", file,
                    System.getProperty("user.name"));
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncFolder(file);
    }

    /** The folder's entry of a new or renamed file survives a power loss only once the folder is synced. */
    private static void syncFolder(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.warn("could not sync the folder of {} ({}): sync it before relying on the key file", file, e.getMessage());
        }
    }

    private static void write(Path file, ClientKeys keys) throws IOException {
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
            channel.write(java.nio.ByteBuffer.wrap(keys.text().getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
    }
}
