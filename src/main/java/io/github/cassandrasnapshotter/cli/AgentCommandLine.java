package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.validate.InputValidator;
import io.github.cassandrasnapshotter.validate.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --agent-command} as words for the node's shell, each validated (and later quoted). Leading
 * {@code NAME=VALUE} words set the agent's environment, as they would typed in a shell: they are run
 * through {@code env}, because a quoted assignment is a command name to the shell (exit 127).
 * {@code "JAVA_OPTS=-Xmx1g cassandra-snapshotter"} becomes {@code env JAVA_OPTS=-Xmx1g cassandra-snapshotter}.
 */
final class AgentCommandLine {
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

    private AgentCommandLine() {
    }

    static List<String> words(String flag) {
        List<String> words = new ArrayList<>(flag == null || flag.isBlank() ? List.of()
                : Arrays.asList(flag.strip().split("\\s+")));
        int assignments = 0;
        while (assignments < words.size() && ASSIGNMENT.matcher(words.get(assignments)).matches()) {
            InputValidator.commandWord("agent command", words.get(assignments));
            assignments++;
        }
        if (assignments == words.size()) {
            throw new InvalidInputException("--agent-command names no program"
                    + (assignments > 0 ? " after its NAME=VALUE words" : "") + ": give it, such as "
                    + "\"JAVA_OPTS=-Xmx1g cassandra-snapshotter\"");
        }
        InputValidator.path("agent command", words.get(assignments));
        words.subList(assignments, words.size()).forEach(w -> InputValidator.commandWord("agent command", w));
        if (assignments > 0) {
            words.add(0, "env");
        }
        return List.copyOf(words);
    }
}
