package io.github.cassandrasnapshotter.node;

/** Pieces of the messages operators read. */
public final class Messages {
    private static final int MAX_LINE = 300;

    private Messages() {
    }

    /** ": <the last non-empty line>" of a command's stderr, or "" when it printed nothing. */
    public static String lastLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\n");
        String line = lines[lines.length - 1].strip();
        return ": " + (line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
    }
}
