package io.github.cassandrasnapshotter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The build's version, which the coordinator and every node's agent must share. */
public final class Version {
    public static final String CURRENT = load();

    private Version() {
    }

    /** Why an agent refuses a job from another version, or empty when the versions match. */
    public static java.util.Optional<String> jobRefusal(String jobVersion, String host) {
        return CURRENT.equals(jobVersion) ? java.util.Optional.empty() : java.util.Optional.of("cassandra-snapshotter "
                + CURRENT + " on " + host + " cannot run a job from version " + jobVersion
                + ": install the same cassandra-snapshotter version on every node and the coordinator");
    }

    /** Why the coordinator refuses an agent of another version, or empty when the versions match. */
    public static java.util.Optional<String> agentRefusal(String agentVersion, String host) {
        return CURRENT.equals(agentVersion) ? java.util.Optional.empty() : java.util.Optional.of("agent version "
                + agentVersion + " differs from coordinator version " + CURRENT + ": install cassandra-snapshotter "
                + CURRENT + " on " + host);
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
