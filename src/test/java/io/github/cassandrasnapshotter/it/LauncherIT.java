package io.github.cassandrasnapshotter.it;

import io.github.cassandrasnapshotter.testsupport.SnapshotterProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/cassandra-snapshotter, the launcher every command and every node agent starts through. */
class LauncherIT {
    @TempDir
    Path install;

    /**
     * The JVM refuses a class-data archive made from a jar of another modification time; with
     * {@code -Xshare:on} it says so and exits instead of starting slowly, so a run that succeeds
     * under it used an archive matching the jar.
     */
    @Test
    void remakesTheClassDataArchiveWhenTheJarIsReplaced() throws Exception {
        Path jar = install.resolve("cassandra-snapshotter.jar");
        Files.copy(SnapshotterProcess.jar(), jar);
        Path archive = install.resolve("cassandra-snapshotter.jsa");

        version(jar, "the first run, which makes the archive");
        assertTrue(Files.isRegularFile(archive), "archive made next to the jar");
        FileTime made = Files.getLastModifiedTime(archive);

        version(jar, "the second run");
        assertEquals(made, Files.getLastModifiedTime(archive), "a current archive is kept");

        // An upgrade in place: the jar at the same path, newer than its archive.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(made.toMillis() + 1000));
        version(jar, "a run with a stale archive, which must make it again rather than have the JVM refuse it");
        assertNotEquals(made, Files.getLastModifiedTime(archive));
    }

    private static void version(Path jar, String what) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of("bin/cassandra-snapshotter").toAbsolutePath().toString(),
                "--version").redirectErrorStream(true);
        builder.environment().put("SNAPSHOTTER_JAR", jar.toString());
        builder.environment().put("JAVA", SnapshotterProcess.java());
        builder.environment().put("JAVA_OPTS", "-Xshare:on");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), what + ": did not finish");
        assertEquals(0, process.exitValue(), what + ": " + output);
        assertTrue(output.startsWith("cassandra-snapshotter "), what + ": " + output);
    }
}
