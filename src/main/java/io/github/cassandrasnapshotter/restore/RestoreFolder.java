package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.validate.InvalidInputException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * A folder a restore writes into (the restore folder, or an in-place restore's staging folder on a node)
 * that only its owner can touch. Its folders are made with mode 0700 as they are created; one that exists
 * and belongs to another user is refused (another local user may have made {@code /tmp/restore_cassandra}
 * first and planted links in it); no symbolic link below it is ever followed. A file is written under a
 * temporary name opened with {@code CREATE_NEW} (which never follows a link), forced to disk, and only
 * then renamed to its name, which replaces whatever was there (a link too) rather than writing through it;
 * the folder is forced after the rename.
 */
public final class RestoreFolder {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final LinkOption NO_LINKS = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final UserPrincipal self;

    private RestoreFolder(Path root, UserPrincipal self) {
        this.root = root;
        this.self = self;
    }

    /**
     * Checks a restore folder without making it: it may be missing, else it must be a folder of this user
     * (a link to one only when the link is this user's or root's).
     *
     * @throws InvalidInputException in one line when it is not
     */
    public static void check(Path root) {
        try {
            checkRoot(root.toAbsolutePath().normalize(), self());
        } catch (IOException e) {
            throw new InvalidInputException("restore folder " + root + " cannot be used: " + e.getMessage());
        }
    }

    /** The restore folder, made with mode 0700 when it is missing (its parents as usual). */
    public static RestoreFolder open(Path root) throws IOException {
        UserPrincipal self = self();
        Path folder = root.toAbsolutePath().normalize();
        if (!checkRoot(folder, self)) {
            if (folder.getParent() != null) {
                Files.createDirectories(folder.getParent());
            }
            try {
                Files.createDirectory(folder, PRIVATE_FOLDER);
            } catch (FileAlreadyExistsException raced) {
                checkRoot(folder, self);
            }
        }
        return new RestoreFolder(folder, self);
    }

    public Path root() {
        return root;
    }

    /**
     * {@code folder} (under the root), each missing level made with mode 0700 and each existing one
     * checked to be a real folder, not a link, of this user.
     */
    public Path folder(Path folder) throws IOException {
        Path target = folder.toAbsolutePath().normalize();
        if (!target.startsWith(root)) {
            throw new IOException(target + " is not inside " + root);
        }
        Path current = root;
        for (Path part : root.relativize(target)) {
            current = current.resolve(part);
            try {
                Files.createDirectory(current, PRIVATE_FOLDER);
            } catch (FileAlreadyExistsException exists) {
                requireOwnFolder(current, self);
            }
        }
        return target;
    }

    /**
     * A new private file (0600) at {@code temporary}, in a folder made by {@link #folder}: whatever is at
     * that name (a file left by an interrupted run, or a link) is removed first, never followed.
     */
    public FileChannel create(Path temporary) throws IOException {
        folder(temporary.getParent());
        Files.deleteIfExists(temporary);
        return FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NO_LINKS),
                PRIVATE_FILE);
    }

    /**
     * Makes a file written through {@link #create} final: forces it to disk, closes it, renames it to
     * {@code destination} (replacing what is there, a link included, never writing through it) and forces
     * the folder, so that the name is on disk too.
     */
    public void commit(FileChannel written, Path temporary, Path destination) throws IOException {
        try (written) {
            written.force(true);
        }
        Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel folder = FileChannel.open(destination.getParent(), StandardOpenOption.READ)) {
            folder.force(true);
        }
    }

    /** Whether the root exists (checked); false when it is missing. */
    private static boolean checkRoot(Path root, UserPrincipal self) throws IOException {
        if (!Files.exists(root, NO_LINKS)) {
            return false;
        }
        if (Files.isSymbolicLink(root)) {
            UserPrincipal linkOwner = Files.getOwner(root, NO_LINKS);
            if (!linkOwner.equals(self) && !"root".equals(linkOwner.getName())) {
                throw new InvalidInputException("restore folder " + root + " is a link made by another user ("
                        + linkOwner.getName() + "): remove it or restore elsewhere");
            }
            requireOwnFolder(root.toRealPath(), self);
            return true;
        }
        requireOwnFolder(root, self);
        return true;
    }

    private static void requireOwnFolder(Path folder, UserPrincipal self) throws IOException {
        if (!Files.isDirectory(folder, NO_LINKS)) {
            throw new InvalidInputException(folder + " is " + (Files.isSymbolicLink(folder) ? "a symbolic link" : "not a folder")
                    + ": a restore follows no link in its folder; remove it or restore elsewhere");
        }
        UserPrincipal owner = Files.getOwner(folder, NO_LINKS);
        if (!owner.equals(self)) {
            throw new InvalidInputException("restore folder " + folder + " belongs to another user (" + owner.getName()
                    + ", not " + self.getName() + "), who could have planted links in it: remove it or restore elsewhere");
        }
    }

    /** The user this process runs as. */
    static UserPrincipal self() throws IOException {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException unknownName) {
            Path proc = Path.of("/proc/self");
            if (Files.exists(proc)) {
                return Files.getOwner(proc);
            }
            throw new NoSuchFileException("cannot tell which user this process runs as (user.name "
                    + System.getProperty("user.name") + ")");
        }
    }
}
