package io.github.cassandrasnapshotter.catalog;

import java.util.Set;

/** What the catalog index needs of a backup run to bring {@code _status/catalog.json} up to date (a BackupPlan). */
public interface CatalogRun {
    String bucket();

    String basePath();

    /** The snapshot the run wrote to. */
    String snapshot();

    /** The run, named in the catalog as the one that wrote it ({@code updated_by}). */
    String runId();

    /** Snapshots whose manifest.json the run found unusable: left out, list reads them itself. */
    Set<String> unreadableManifests();
}
