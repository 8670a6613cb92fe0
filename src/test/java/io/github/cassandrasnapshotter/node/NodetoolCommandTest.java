package io.github.cassandrasnapshotter.node;

import io.github.cassandrasnapshotter.ssh.ShellQuoting;
import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NodetoolCommandTest {
    private final NodetoolCommand nodetool = new NodetoolCommand("/usr/bin/nodetool", false);

    @Test
    void snapshotsAllKeyspacesOrTheGivenOnes() {
        assertEquals(List.of("/usr/bin/nodetool", "snapshot", "-t", "20260101000000"),
                nodetool.snapshot("20260101000000", List.of(), ""));
        assertEquals(List.of("/usr/bin/nodetool", "snapshot", "-t", "20260101000000", "ks1", "ks2"),
                nodetool.snapshot("20260101000000", List.of("ks1", "ks2"), ""));
    }

    @Test
    void oneTableUsesTheTableFormOrTheKeyspaceTableList() {
        assertEquals(List.of("/usr/bin/nodetool", "snapshot", "-t", "20260101000000", "--table", "users", "ks1"),
                nodetool.snapshot("20260101000000", List.of("ks1"), "users"));
        assertEquals(List.of("/usr/bin/nodetool", "snapshot", "-t", "20260101000000", "--kt-list", "ks1.users,ks2.users"),
                nodetool.snapshot("20260101000000", List.of("ks1", "ks2"), "users"));
    }

    @Test
    void aSnapshotTtlIsGivenInWholeMinutesRoundedUp() {
        assertEquals(List.of("/usr/bin/nodetool", "snapshot", "-t", "20260101000000", "--ttl", "91m", "ks1"),
                nodetool.snapshot("20260101000000", List.of("ks1"), "", java.time.Duration.ofSeconds(90 * 60 + 9)));
        assertEquals(List.of("/usr/bin/nodetool", "snapshot", "-t", "20260101000000", "--ttl", "1500m"),
                nodetool.snapshot("20260101000000", List.of(), "", java.time.Duration.ofMinutes(1500)));
    }

    @Test
    void snapshotTtlOnlyWhereTheNodesCassandraHasIt() {
        assertEquals(java.util.Optional.of(new CassandraVersion(5, 0)), CassandraVersion.parse("ReleaseVersion: 5.0.9\n"));
        assertEquals(true, CassandraVersion.parse("ReleaseVersion: 4.1.0").orElseThrow().hasSnapshotTtl());
        assertEquals(true, CassandraVersion.parse("ReleaseVersion: 5.0.9").orElseThrow().hasSnapshotTtl());
        assertEquals(false, CassandraVersion.parse("ReleaseVersion: 4.0.11").orElseThrow().hasSnapshotTtl());
        assertEquals(false, CassandraVersion.parse("ReleaseVersion: 3.11.17").orElseThrow().hasSnapshotTtl());
        assertEquals(java.util.Optional.empty(), CassandraVersion.parse("nodetool: Failed to connect to '127.0.0.1:7199'"));
        assertEquals(java.util.Optional.empty(), CassandraVersion.parse(""));
    }

    @Test
    void sudoComesFirst() {
        assertEquals(List.of("sudo", "-n", "/opt/c/bin/nodetool", "clearsnapshot", "-t", "20260101000000"),
                new NodetoolCommand("/opt/c/bin/nodetool", true).clearSnapshot("20260101000000"));
    }

    @Test
    void refusesBadValuesBeforeBuildingAnything() {
        assertThrows(InvalidInputException.class, () -> nodetool.snapshot("20260101000000", List.of("ks;id"), ""));
        assertThrows(InvalidInputException.class, () -> nodetool.snapshot("x", List.of(), ""));
        assertThrows(InvalidInputException.class, () -> new NodetoolCommand("nodetool;id", false));
    }

    @Test
    void quotedWordsReachAShellUnchanged() throws IOException, InterruptedException {
        List<String> words = List.of("it's", "$(id)", "a b", "`x`", "\\", "\"q\"");
        Process sh = new ProcessBuilder("sh", "-c", "printf '%s\\n' " + ShellQuoting.join(words)).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor());
        assertEquals(words, out.lines().toList());
    }
}
