package com.example.shopbackup;

import io.github.cassandrasnapshotter.embed.SnapshotterRoutes;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

import java.util.List;

/**
 * A shop's own Camel application, which also backs up its Cassandra keyspace: cassandra-snapshotter's
 * routes are added to the application's plain CamelContext next to its own route
 * ({@link ShopRoutes}), which triggers a backup through {@code direct:snapshotter-backup} and keeps
 * a journal of what each backup stored.
 */
public final class ShopBackupApp implements AutoCloseable {
    private final CamelContext context = new DefaultCamelContext();
    private final BackupJournal journal = new BackupJournal();
    private ProducerTemplate template;

    /** @param snapshotter where the backups go and how the nodes are reached, as command-line flags */
    public ShopBackupApp(SnapshotterRoutes snapshotter, String keyspace) throws Exception {
        snapshotter.addTo(context);
        context.getRegistry().bind("backupJournal", journal);
        context.getPropertiesComponent().addInitialProperty("shop.keyspace", keyspace);
        context.addRoutes(new ShopRoutes());
    }

    public void start() {
        context.start();
        template = context.createProducerTemplate();
    }

    /** Backs up the shop's keyspace now; the manifest of the complete snapshot, or an exception naming what failed. */
    public SnapshotManifest backupNow() {
        return template.requestBody("direct:backup-shop", null, SnapshotManifest.class);
    }

    public List<String> journal() {
        return journal.entries();
    }

    public CamelContext context() {
        return context;
    }

    @Override
    public void close() throws Exception {
        if (template != null) {
            template.close();
        }
        context.close();
    }
}
