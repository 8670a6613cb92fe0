package io.github.cassandrasnapshotter.agent;

/** How a file reached its object in a run. */
public enum FileAction {
    /** Compressed and sent from the node. */
    UPLOADED,
    /** Same content as an object of an earlier backup: copied inside the store, nothing sent. */
    COPIED,
    /**
     * Same content as an object an earlier backup stored: this run's file list names that object (in the
     * earlier snapshot's folder), which was found in place; nothing sent, nothing copied. Purge deletes an
     * object only once no kept file list names it.
     */
    REFERENCED,
    /** Already at its key with the same content (an earlier run of this snapshot stored it). */
    ALREADY_STORED,
    /** An incremental link whose SSTable the parent snapshot holds: removed, not uploaded. */
    COVERED_BY_SNAPSHOT
}
