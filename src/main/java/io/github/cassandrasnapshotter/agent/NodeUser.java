package io.github.cassandrasnapshotter.agent;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A user of a node, by uid and gid: the one this process runs as, or the one that owns the node's data
 * directories, as whom an agent started as root does its work ({@link DataOwnerSwitch}). Root writing or
 * removing files below folders another user owns follows whatever links that user swaps in between a
 * check and the write: the owner, writing as itself, gains nothing from such a link.
 *
 * @param name the user's name, or its uid when the system has no name for it
 */
public record NodeUser(int uid, int gid, String name) {
    private static final int ROOT = 0;

    public boolean isRoot() {
        return uid == ROOT;
    }

    /** The user this process runs as (its real uid and gid). */
    public static NodeUser current() {
        UnixSystem system = new UnixSystem();
        String name = system.getUsername();
        return new NodeUser((int) system.getUid(), (int) system.getGid(),
                name != null ? name : String.valueOf(system.getUid()));
    }

    /**
     * The owner (and group) of the data directories that exist, links followed; empty when none does.
     *
     * @throws IOException when they belong to several users (no single user can work in all of them)
     */
    public static Optional<NodeUser> dataOwner(List<Path> dataDirectories) throws IOException {
        NodeUser owner = null;
        Path first = null;
        for (Path directory : dataDirectories) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            NodeUser user = new NodeUser((Integer) Files.getAttribute(directory, "unix:uid"),
                    (Integer) Files.getAttribute(directory, "unix:gid"), Files.getOwner(directory).getName());
            if (owner == null) {
                owner = user;
                first = directory;
            } else if (owner.uid() != user.uid()) {
                throw new IOException("the data directories belong to several users (" + first + " to " + owner.name()
                        + ", " + directory + " to " + user.name() + "): give them all to the user Cassandra runs as");
            }
        }
        return Optional.ofNullable(owner);
    }

    /**
     * The user an agent must switch to before it touches the data directories: their owner, when this
     * process runs as root and they belong to another user; empty when it works as it is.
     */
    public static Optional<NodeUser> switchFor(List<Path> dataDirectories) throws IOException {
        if (!current().isRoot()) {
            return Optional.empty();
        }
        return dataOwner(dataDirectories).filter(owner -> !owner.isRoot());
    }

    /**
     * Why work on these data directories must not go on in this process, or empty: it runs as root and they
     * belong to another user. An agent reached over SSH has switched to that user before it gets here; the
     * coordinator's own work for {@code localhost} cannot.
     */
    public static Optional<String> refusal(List<Path> dataDirectories, String host) throws IOException {
        return switchFor(dataDirectories).map(owner -> "cassandra-snapshotter runs as root on " + host
                + " and the data directories belong to " + owner.name() + ": root would read, write and remove "
                + "files in folders " + owner.name() + " can change; run it as " + owner.name()
                + " there, or reach the node over SSH (its agent then works as " + owner.name() + ")");
    }
}
