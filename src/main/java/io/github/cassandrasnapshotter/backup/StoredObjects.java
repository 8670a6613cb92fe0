package io.github.cassandrasnapshotter.backup;

/**
 * How a run stores a file an earlier backup already stored with the same content: its file list names
 * the earlier object (each SSTable stored once; purge deletes an object only once no kept list names it),
 * or the object is copied to the file's own key in this snapshot (self-contained snapshots, safe under
 * lifecycle rules that expire objects by age).
 *
 * @param refer  whether the run's lists name earlier objects
 * @param reason why each snapshot gets its own copies, for the summary; null when the run refers
 */
public record StoredObjects(boolean refer, String reason) {
    public static final StoredObjects REFER = new StoredObjects(true, null);

    public static StoredObjects copies(String reason) {
        return new StoredObjects(false, reason);
    }
}
