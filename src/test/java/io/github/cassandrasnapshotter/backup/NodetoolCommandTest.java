package io.github.cassandrasnapshotter.backup;

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
