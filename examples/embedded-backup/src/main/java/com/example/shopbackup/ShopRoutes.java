package com.example.shopbackup;

import org.apache.camel.builder.RouteBuilder;

/** The application's own route: back up the shop's keyspace, then record what was stored. */
final class ShopRoutes extends RouteBuilder {
    @Override
    public void configure() {
        from("direct:backup-shop").routeId("backup-shop")
                // Options are headers named after the command line's flags: --keyspaces, --new-snapshot, ...
                .setHeader("snapshotterKeyspaces", simple("{{shop.keyspace}}"))
                .setHeader("snapshotterNewSnapshot", constant(true))
                .to("direct:snapshotter-backup")
                // body: BackupOutcome; the journal turns it into the manifest, or fails with the hosts that failed
                .bean("backupJournal", "record");
    }
}
