package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.validate.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentCommandLineTest {

    @Test
    void leadingAssignmentsRunThroughEnv() {
        assertEquals(List.of("env", "JAVA_OPTS=-Xmx1g", "cassandra-snapshotter"),
                AgentCommandLine.words("JAVA_OPTS=-Xmx1g cassandra-snapshotter"));
        assertEquals(List.of("env", "A=1", "B_2=x,y", "/opt/cs/cassandra-snapshotter", "-v"),
                AgentCommandLine.words("  A=1 B_2=x,y   /opt/cs/cassandra-snapshotter -v "));
    }

    @Test
    void aCommandWithoutAssignmentsIsKeptAsItIs() {
        assertEquals(List.of("cassandra-snapshotter"), AgentCommandLine.words("cassandra-snapshotter"));
        assertEquals(List.of("/usr/bin/java", "-Xmx1g", "-jar", "/opt/cs.jar"),
                AgentCommandLine.words("/usr/bin/java -Xmx1g -jar /opt/cs.jar"));
        // Only leading words are assignments: later ones are arguments of the program.
        assertEquals(List.of("cassandra-snapshotter", "X=1"), AgentCommandLine.words("cassandra-snapshotter X=1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JAVA_OPTS=-Xmx1g", "", "A=1 B=2", "A=$(id) cassandra-snapshotter", "A=1;rm cassandra-snapshotter",
            "A=1 -x", "A=1 cassandra-snapshotter;id", "A='1 2' cassandra-snapshotter"})
    void refusesWhatWouldNotBeOneValidatedWordEachOrNamesNoProgram(String flag) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> AgentCommandLine.words(flag));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("invalid agent command '") || e.getMessage().startsWith("--agent-command names no program"),
                e.getMessage());
    }
}
