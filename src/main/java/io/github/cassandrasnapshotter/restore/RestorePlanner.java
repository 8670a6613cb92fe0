package io.github.cassandrasnapshotter.restore;

import io.github.cassandrasnapshotter.agent.RestoreFile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cassandrasnapshotter.agent.FileResult;
import io.github.cassandrasnapshotter.catalog.BackupCatalog;
import io.github.cassandrasnapshotter.catalog.RunRecord;
import io.github.cassandrasnapshotter.catalog.SnapshotRecord;
import io.github.cassandrasnapshotter.crypto.ClientKeys;
import io.github.cassandrasnapshotter.agent.HostFileManifest;
import io.github.cassandrasnapshotter.manifest.SnapshotManifest;
import io.github.cassandrasnapshotter.storage.BucketReader;
import io.github.cassandrasnapshotter.storage.StorageKeys;
import io.github.cassandrasnapshotter.storage.UnreadableObjectException;
import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import io.github.cassandrasnapshotter.validate.SnapshotName;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses what a restore brings back. {@code LATEST} is the newest complete snapshot that holds the
 * requested hosts and keyspace (and table); hosts and files come from our manifests, never from key
 * positions. Backups of cassandra_snapshotter 1.x (no per-file manifests) are read from their keys.
 */
public final class RestorePlanner {
    /** How a restore (or verify) refused for what its bucket says ends: before anything is fetched or written. */
    static final String REFUSED = "the snapshot is refused as a whole, before anything is fetched or written";
    /** Destinations relative to here tell the plan's files apart. */
    private static final java.nio.file.Path HERE = java.nio.file.Path.of("");

    private final S3Client s3;
    private final ObjectMapper json;

    public RestorePlanner(S3Client s3, ObjectMapper json) {
        this.s3 = s3;
        this.json = json;
    }

    public RestorePlan plan(RestoreRequest request) {
        BackupCatalog catalog = new BackupCatalog(new BucketReader(s3, request.s3().bucket(), json, request.s3().clientKeys()),
                request.s3().basePath());
        String where = "s3://" + request.s3().bucket() + "/" + catalog.keys().basePrefix();
        List<String> names = catalog.snapshotNames();
        if (RestoreRequest.LATEST.equalsIgnoreCase(request.snapshotName())) {
            // Newest first; a snapshot with an object that cannot be used is passed over, and the plan says so.
            List<String> skipped = new ArrayList<>();
            for (String candidate : names) {
                try {
                    Optional<SnapshotManifest> found = catalog.manifest(candidate);
                    if (found.isPresent() && holds(found.get(), request)) {
                        return plan(catalog, candidate, found.get(), request, skipped);
                    }
                } catch (UnreadableObjectException | UnreadableSnapshotException e) {
                    if (request.s3().clientSideEncryption()) {
                        // With a key file, a newer snapshot that does not verify is not passed over for an older
                        // one: a bucket writer could roll the restore back so. The operator names the one to take.
                        throw unreadable(candidate, e, "LATEST stops at it: name the snapshot to restore with "
                                + "--snapshot-name ('list' shows them)");
                    }
                    skipped.add("snapshot " + candidate + " skipped: " + e.getMessage());
                }
            }
            throw new RestoreException("no complete snapshot under " + where + " holds " + what(request)
                    + " ('list' shows the snapshots there)" + (skipped.isEmpty() ? "" : "; " + String.join("; ", skipped)));
        }
        String name = request.snapshotName();
        if (!names.contains(name)) {
            throw new RestoreException("snapshot " + name + " not found under " + where
                    + " ('list' shows the snapshots there)");
        }
        SnapshotManifest manifest;
        try {
            manifest = catalog.manifest(name).orElseThrow(() -> new RestoreException("snapshot " + request.snapshotName()
                    + (catalog.read(name, null).purged() ? " was purged: its folder holds only objects newer snapshots refer to"
                    : " is incomplete (it has no manifest.json)") + ": restore a complete one ('list' shows them)"));
        } catch (UnreadableObjectException e) {
            throw unreadable(name, e, "repair or remove the object, or restore another snapshot ('list' shows them)");
        }
        if (!holds(manifest, request)) {
            throw new RestoreException("snapshot " + name + " does not hold " + what(request) + " (it has hosts "
                    + manifest.hosts() + ", keyspaces " + (manifest.keyspaces() == null ? "all" : manifest.keyspaces())
                    + (manifest.table() == null || manifest.table().isEmpty() ? "" : ", table " + manifest.table()) + ")");
        }
        try {
            return plan(catalog, name, manifest, request, List.of());
        } catch (UnreadableObjectException | UnreadableSnapshotException e) {
            // Its manifest was read (and with a key file, verified): a record in it that is not is damage, not input.
            throw new UnreadableSnapshotException("snapshot " + name + " cannot be read: " + e.getMessage()
                    + "; repair or remove the object, or restore another snapshot ('list' shows them)");
        }
    }

    /**
     * A snapshot whose manifest (or, for LATEST, any record) cannot be used: exit status 2 when another key
     * file (or none) would read it, else 1 (a damaged backup).
     */
    private static RuntimeException unreadable(String name, RuntimeException e, String advice) {
        if (e instanceof UnreadableObjectException object && object.otherKeys()) {
            return new RestoreException("snapshot " + name + " cannot be read with the key file given: " + e.getMessage()
                    + "; " + advice);
        }
        return new UnreadableSnapshotException("snapshot " + name + " cannot be read: " + e.getMessage() + "; " + advice);
    }

    /**
     * The files of one snapshot that holds what the request asks for.
     *
     * @param skipped newer snapshots passed over, for the plan to say so
     * @throws UnreadableObjectException   when a file list it needs cannot be used
     * @throws UnreadableSnapshotException when a run summary it needs cannot be used
     */
    private RestorePlan plan(BackupCatalog catalog, String name, SnapshotManifest manifest, RestoreRequest request,
                             List<String> skipped) {
        SnapshotRecord snapshot = catalog.read(name, manifest);
        List<String> hosts = request.sourceHosts().isEmpty() ? manifest.hosts() : request.sourceHosts();
        String bucket = "s3://" + request.s3().bucket() + "/";
        if (request.inPlace() != null) {
            // These hosts are logged in to, as --hosts would be: a manifest's host must be one --hosts takes.
            for (String host : hosts) {
                if (!InputValidator.isSshHost(host)) {
                    throw new RestoreException(bucket + catalog.keys().manifestKey(name) + " names the host '"
                            + InputValidator.printable(host, 80) + "', which an in-place restore does not log in to "
                            + "(a host name or IPv4 address, without a port): " + REFUSED);
                }
            }
        }
        List<String> notes = new ArrayList<>();
        Map<java.nio.file.Path, RestoreFile> files = new LinkedHashMap<>();
        List<String> runs = new ArrayList<>();
        if (snapshot.runs().isEmpty()) {
            if (manifest.format() != null) {
                // Ours: its file lists are gone. Read from its keys, its objects would be restored unchecked.
                throw new UnreadableSnapshotException(bucket + catalog.keys().manifestKey(name) + " was written by this "
                        + "tool, but " + bucket + catalog.keys().snapshotPrefix(name) + StorageKeys.RUNS + "/ holds no "
                        + "file list of it");
            }
            if (request.s3().clientSideEncryption()) {
                throw new RestoreException("snapshot " + name + " was written by cassandra_snapshotter 1.x: nothing in it "
                        + "is sealed or encrypted; restore it without --encryption-key-file");
            }
            notes.add("snapshot " + name + " was written by cassandra_snapshotter 1.x: it records no checksums, "
                    + "so the files cannot be checked against one (lzop's own structure is still checked)");
            if (request.pointInTime() != null) {
                throw new RestoreException("snapshot " + name + " has no incremental runs recorded: --point-in-time "
                        + "needs a backup made by this tool");
            }
            runs.add(name);
            for (String host : hosts) {
                legacyFiles(catalog, name, host, request).forEach(f -> files.put(f.destination(HERE), f));
            }
        } else {
            String until = pointInTime(request.pointInTime(), name);
            RequiredFileLists required = new RequiredFileLists(bucket, catalog.keys(), name, manifest, until);
            required.checkRunsListed(snapshot.runs());
            for (RunRecord run : snapshot.runs()) {
                if (until != null && run.runId().compareTo(until) > 0) {
                    continue;
                }
                if (run.unreadable() != null) {
                    throw new UnreadableSnapshotException(run.unreadable());
                }
                if (run.summary() == null) {
                    // Its file lists were stored by the agents before any link was removed: every object
                    // they name is complete, with its SHA-256, and may exist nowhere else.
                    notes.add("run " + run.runId() + " was interrupted before its summary: the files its "
                            + "file lists name are restored");
                }
                runs.add(run.runId());
                for (String host : hosts) {
                    HostFileManifest hostFiles = run.hostFileLists().contains(host)
                            ? catalog.hostFiles(name, run.runId(), host).orElse(null) : null;
                    if (hostFiles == null) {
                        required.absent(run.runId(), host); // fails when the manifest says the host stored files then
                        continue;
                    }
                    String listKey = bucket + catalog.keys().runHostKey(name, run.runId(), host);
                    for (FileResult stored : hostFiles.files()) {
                        toRestoreFile(host, stored, request, listKey, catalog.keys()).ifPresent(f -> files.put(f.destination(HERE), f));
                    }
                }
            }
        }
        if (files.isEmpty()) {
            throw new RestoreException("snapshot " + name + " holds no files of " + what(request));
        }
        checkKeys(name, files.values(), request.s3().clientKeys());
        return new RestorePlan(request, name, runs, new ArrayList<>(files.values()), notes, skipped);
    }

    /** Every encrypted object of the plan can be decrypted with the key file given: else nothing is fetched. */
    static void checkKeys(String snapshot, java.util.Collection<RestoreFile> files, ClientKeys keys) {
        java.util.Set<Long> needed = new java.util.TreeSet<>();
        files.stream().map(RestoreFile::keyId).filter(java.util.Objects::nonNull).forEach(needed::add);
        if (needed.isEmpty()) {
            return;
        }
        if (keys == null) {
            throw new RestoreException("snapshot " + snapshot + " is encrypted on the nodes (key " + join(needed)
                    + "): give --encryption-key-file with the key file it was made with");
        }
        needed.removeIf(keys::holds);
        if (!needed.isEmpty()) {
            throw new RestoreException("snapshot " + snapshot + " has objects encrypted under key " + join(needed)
                    + ", which the key file does not hold (it holds " + join(keys.keyIds()) + ")");
        }
    }

    private static String join(java.util.Collection<Long> ids) {
        return String.join(", ", ids.stream().map(String::valueOf).toList());
    }

    static boolean holds(SnapshotManifest manifest, RestoreRequest request) {
        boolean hosts = manifest.hosts() != null && manifest.hosts().containsAll(request.sourceHosts());
        boolean keyspace = request.keyspace() == null || manifest.keyspaces() == null
                || manifest.keyspaces().contains(request.keyspace());
        String table = manifest.table() == null ? "" : manifest.table();
        return hosts && keyspace && (table.isEmpty() || table.equals(request.table()));
    }

    private static String what(RestoreRequest request) {
        return (request.keyspace() == null ? "any keyspace" : "keyspace " + request.keyspace())
                + (request.table().isEmpty() ? "" : ", table " + request.table())
                + (request.sourceHosts().isEmpty() ? "" : " of hosts " + String.join(",", request.sourceHosts()));
    }

    /** A run id, or an ISO-8601 time, as the largest run id to include. */
    static String pointInTime(String value, String snapshot) {
        if (value == null) {
            return null;
        }
        String until;
        if (SnapshotName.isName(value)) {
            until = value;
        } else {
            try {
                until = SnapshotName.of(Instant.parse(value));
            } catch (DateTimeParseException e) {
                throw new RestoreException("--point-in-time '" + value + "' is neither a run id (YYYYmmddHHMMSS) "
                        + "nor a time such as 2026-11-24T04:00:00Z");
            }
        }
        if (until.compareTo(snapshot) < 0) {
            throw new RestoreException("--point-in-time " + value + " is before snapshot " + snapshot + " was taken");
        }
        return until;
    }

    /**
     * A file list's entry as a file to restore, when it is of the requested keyspace and table.
     *
     * @throws RestoreException when its path is not a table's file, or names a file outside its table's folder
     */
    private static Optional<RestoreFile> toRestoreFile(String host, FileResult stored, RestoreRequest request,
                                                       String listKey, StorageKeys keys) {
        if (!stored.stored() || stored.key() == null) {
            return Optional.empty();
        }
        String entry = listKey + " lists the object " + InputValidator.printable(stored.key(), 1000) + " at the path '"
                + InputValidator.printable(stored.path(), 1000) + "'";
        NodePaths.Parts parts = NodePaths.parse(stored.path()).orElseThrow(() -> new RestoreException(entry
                + ", which is no file of a table's snapshots/ or backups/ folder: " + REFUSED));
        if (!keys.isHostDataKey(stored.key(), host)) {
            // A list names its own snapshot's objects, or an earlier snapshot's (a reference): both are
            // <base>/<snapshot>/<host>/..., of the host whose list it is. Nothing else is fetched.
            throw new RestoreException(entry + ", which is no object of host " + host + " in a snapshot folder under "
                    + listKey.substring(0, listKey.indexOf('/', "s3://".length()) + 1) + keys.basePrefix() + ": " + REFUSED);
        }
        if (request.keyspace() != null && !parts.keyspace().equals(request.keyspace())) {
            return Optional.empty();
        }
        RestoreFile file = new RestoreFile(host, parts.keyspace(), parts.tableDirectory(), parts.name(), stored.key(),
                stored.size(), stored.sha256(), stored.storedSize() == null ? 0 : stored.storedSize(), stored.keyId());
        checked(file, entry);
        return request.table().isEmpty() || file.table().equals(request.table()) ? Optional.of(file) : Optional.empty();
    }

    /** The file, when it is safe to write ({@link RestoreFile#checked}); else the restore is refused, naming it. */
    private static RestoreFile checked(RestoreFile file, String what) {
        try {
            return file.checked();
        } catch (InvalidInputException e) {
            throw new RestoreException(what + ": " + e.getMessage() + "; " + REFUSED);
        }
    }

    /** The old tool's objects: {@code <snapshot>/<host>/<path>.lzo} or {@code <snapshot>/<host>//<path>.lzo}. */
    private List<RestoreFile> legacyFiles(BackupCatalog catalog, String snapshot, String host, RestoreRequest request) {
        String prefix = catalog.keys().snapshotPrefix(snapshot) + host + "/";
        return legacyFiles(request.s3().bucket(), prefix, host, new BucketReader(s3, request.s3().bucket(), json).objects(prefix),
                request.keyspace(), request.table());
    }

    /**
     * The restore files of one host's listing under {@code prefix} ({@code <snapshot>/<host>/}) in the old
     * tool's layout, of the keyspace (null: all) and table (empty: all); objects that are no node file are left out.
     */
    static List<RestoreFile> legacyFiles(String bucket, String prefix, String host, Iterable<S3Object> listing,
                                         String keyspace, String table) {
        List<RestoreFile> files = new ArrayList<>();
        for (S3Object object : listing) {
            String what = "s3://" + bucket + "/" + InputValidator.printable(object.key(), 1000)
                    + " (a file of cassandra_snapshotter 1.x)";
            NodePaths.parse(NodePaths.legacyNodePath(object.key().substring(prefix.length())))
                    .filter(p -> keyspace == null || p.keyspace().equals(keyspace))
                    .map(p -> checked(new RestoreFile(host, p.keyspace(), p.tableDirectory(), p.name(), object.key(),
                            null, null, object.size()), what))
                    .filter(f -> table.isEmpty() || f.table().equals(table))
                    .ifPresent(files::add);
        }
        return files;
    }
}
