package io.github.cassandrasnapshotter.agent;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user of a node, by uid and gid: the one this process runs as, or the one whose folders an agent started
 * as root works in, as whom it then does its work ({@link DataOwnerSwitch}). Root writing or removing files
 * below a folder another user can change follows whatever link that user swaps in between a check and the
 * write; that user, writing as itself, gains nothing from such a link.
 *
 * @param name the user's name, or its uid when the system has no name for it
 */
public record NodeUser(int uid, int gid, String name) {
    private static final int ROOT = 0;
    /** Below a data directory: keyspace, table, snapshots or backups, a snapshot's tag. */
    private static final int DEPTH = 4;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;

    public boolean isRoot() {
        return uid == ROOT;
    }

    /** The user this process runs as. */
    public static NodeUser current() {
        UnixSystem system = new UnixSystem();
        String name = system.getUsername();
        return new NodeUser((int) system.getUid(), (int) system.getGid(),
                name != null ? name : String.valueOf(system.getUid()));
    }

    /**
     * The user an agent must work as in these data directories: empty when this process may go on as it is
     * (it is not root, or every folder above and in them is root's and only root can change it); else the
     * one other user who owns folders above or in them (the one Cassandra runs as), whatever their
     * owner says at the top. A data directory that is missing is judged by the folders above it.
     *
     * @throws IOException when root cannot work there and no one user can: folders of several users, or a
     *                     folder of root's that others may change
     */
    public static Optional<NodeUser> switchFor(List<Path> dataDirectories) throws IOException {
        if (!current().isRoot()) {
            return Optional.empty();
        }
        Owners owners = new Owners();
        for (Path directory : dataDirectories) {
            owners.look(directory.toAbsolutePath().normalize());
        }
        return owners.userToWorkAs();
    }

    /**
     * Why work on these data directories must not go on in this process, or empty: it runs as root and they
     * are, or lie in, folders another user can change. An agent reached over SSH has switched to that user
     * before it gets here; the coordinator's own work for {@code localhost} cannot.
     *
     * @throws IOException as {@link #switchFor}: no user can do the work
     */
    public static Optional<String> refusal(List<Path> dataDirectories, String host) throws IOException {
        return switchFor(dataDirectories).map(owner -> "cassandra-snapshotter runs as root on " + host
                + " and the data directories (or folders above or in them) belong to " + owner.name() + ": root would read, write and remove "
                + "files in folders " + owner.name() + " can change; run it as " + owner.name()
                + " there, or reach the node over SSH (its agent then works as " + owner.name() + ")");
    }

    /** The owners of the folders an agent would work in and below, links not followed. */
    private static final class Owners {
        private final Map<Integer, NodeUser> others = new LinkedHashMap<>();
        private final Map<Integer, Path> firstOf = new LinkedHashMap<>();
        private Path writableByOthers;

        void look(Path dataDirectory) throws IOException {
            // The folders above it as it is named (a link among them counts as its owner's), then as they are.
            for (Path above = dataDirectory.getParent(); above != null; above = above.getParent()) {
                if (Files.exists(above, LinkOption.NOFOLLOW_LINKS)) {
                    note(above);
                }
            }
            Path existing = dataDirectory;
            while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            Path real = existing.toRealPath();
            for (Path above = real; above != null; above = above.getParent()) {
                note(above);
            }
            if (!real.equals(existing)) {
                note(existing); // the link itself
            }
            if (existing.equals(dataDirectory) && Files.isDirectory(real)) {
                Files.walkFileTree(real, EnumSet.noneOf(java.nio.file.FileVisitOption.class), DEPTH,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                                note(dir);
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                                if (attrs.isSymbolicLink() || attrs.isDirectory()) {
                                    note(file); // a link, or a folder at the last level
                                }
                                return FileVisitResult.CONTINUE;
                            }
                        });
            }
        }

        private void note(Path path) throws IOException {
            int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != ROOT) {
                if (!others.containsKey(uid)) {
                    others.put(uid, new NodeUser(uid, (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS),
                            Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName()));
                    firstOf.put(uid, path);
                }
                return;
            }
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            boolean folder = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            // A sticky folder (as /tmp) lets no one else rename or remove root's entries in it.
            if (folder && (mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0 && writableByOthers == null) {
                writableByOthers = path;
            }
        }

        Optional<NodeUser> userToWorkAs() throws IOException {
            if (others.size() > 1) {
                StringBuilder whose = new StringBuilder();
                others.forEach((uid, user) -> whose.append(whose.length() == 0 ? "" : ", ").append(firstOf.get(uid))
                        .append(" is ").append(user.name()).append("'s"));
                throw new IOException("the data directories, or folders above or in them, belong to several users ("
                        + whose + "): an agent started as root works as the one user Cassandra runs as; give them "
                        + "all to that user");
            }
            if (others.size() == 1) {
                return Optional.of(others.values().iterator().next());
            }
            if (writableByOthers != null) {
                throw new IOException(writableByOthers + " is root's, but others may change it (mode "
                        + Integer.toOctalString((Integer) Files.getAttribute(writableByOthers, "unix:mode",
                        LinkOption.NOFOLLOW_LINKS) & 07777) + "): an agent started as root does not work below it; "
                        + "make it writable by root only, or give the data directories to the user Cassandra runs as");
            }
            return Optional.empty();
        }
    }
}
