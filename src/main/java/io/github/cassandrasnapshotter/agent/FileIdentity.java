package io.github.cassandrasnapshotter.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which file on its file system a path names: device and inode, as hard links share them. A
 * {@code backups/} link and the snapshot's link of the same SSTable are links of one inode, so the
 * pair says "this is that file" without comparing clocks or reading the bytes.
 */
public record FileIdentity(long device, long inode) {

    /** The path's identity, or null where the file system does not say (not a Unix file system, gone). */
    public static FileIdentity of(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
            if (attributes.get("dev") instanceof Long device && attributes.get("ino") instanceof Long inode) {
                return new FileIdentity(device, inode);
            }
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a recorded device and inode (null in records older than them) are this file's. */
    public boolean is(Long recordedDevice, Long recordedInode) {
        return recordedDevice != null && recordedInode != null && recordedDevice == device && recordedInode == inode;
    }
}
