package io.github.cassandrasnapshotter.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Takes every option's default from {@code application.properties} ({@code snapshotter.<long name>}),
 * so the tool's defaults are written in one place and {@code --help} shows them.
 */
final class PropertiesDefaults implements CommandLine.IDefaultValueProvider {
    static final String RESOURCE = "/cassandra-snapshotter/application.properties";
    private static final String PREFIX = "snapshotter.";

    private final Properties properties;

    PropertiesDefaults(Properties properties) {
        this.properties = properties;
    }

    static PropertiesDefaults load() {
        Properties properties = new Properties();
        try (InputStream in = PropertiesDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PropertiesDefaults(properties);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (argSpec instanceof CommandLine.Model.OptionSpec option) {
            String value = properties.getProperty(PREFIX + option.longestName().replaceFirst("^-+", ""));
            return value == null ? null : value.strip();
        }
        return null;
    }
}
