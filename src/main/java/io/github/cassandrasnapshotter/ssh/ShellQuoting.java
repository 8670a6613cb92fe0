package io.github.cassandrasnapshotter.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting for command lines sent over SSH. */
public final class ShellQuoting {
    private ShellQuoting() {
    }

    public static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
