package io.github.cassandrasnapshotter.agent;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads what the agent needs from a node's {@code cassandra.yaml}. */
public final class CassandraYaml {
    /** Cassandra's own default when {@code data_file_directories} is not set (the old tool crashed there). */
    public static final String DEFAULT_DATA_DIRECTORY = "/var/lib/cassandra/data";

    private CassandraYaml() {
    }

    /** The data directories named in {@code <confDir>/cassandra.yaml}, or Cassandra's default. */
    public static List<Path> dataDirectories(Path confDir) throws IOException {
        return dataDirectories(load(confDir));
    }

    /**
     * Whether Cassandra links every flushed SSTable into {@code backups/} ({@code incremental_backups},
     * off by default): without it an incremental run finds nothing to upload.
     */
    public static boolean incrementalBackups(Path confDir) throws IOException {
        return load(confDir) instanceof Map<?, ?> settings
                && Boolean.parseBoolean(String.valueOf(settings.get("incremental_backups")));
    }

    private static Object load(Path confDir) throws IOException {
        Path yamlFile = confDir.resolve("cassandra.yaml");
        Object loaded;
        try (Reader reader = Files.newBufferedReader(yamlFile)) {
            loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(yamlFile.toString(), null,
                    "cassandra.yaml not found: set --cassandra-conf-path to the folder that holds it");
        }
        return loaded;
    }

    private static List<Path> dataDirectories(Object loaded) {
        List<Path> directories = new ArrayList<>();
        if (loaded instanceof Map<?, ?> settings && settings.get("data_file_directories") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry != null && !entry.toString().isBlank()) {
                    directories.add(Path.of(entry.toString().strip()));
                }
            }
        }
        if (directories.isEmpty()) {
            directories.add(Path.of(DEFAULT_DATA_DIRECTORY));
        }
        return directories;
    }
}
