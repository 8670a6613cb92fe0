package io.github.cassandrasnapshotter.cli;

/** Exit statuses (docs/design.md, "Exit status"): the same for every command. */
public final class ExitCode {
    /** Every host and file done. */
    public static final int OK = 0;
    /** The run failed or is partial; the output says which hosts and files. */
    public static final int FAILED = 1;
    /** Bad usage or input; nothing was touched. */
    public static final int USAGE = 2;

    private ExitCode() {
    }
}
