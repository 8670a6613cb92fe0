package io.github.cassandrasnapshotter.validate;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The one check of every path a restore builds from what a bucket or a job says (a file list's
 * entries, an old-tool key, the in-place agent's job): each part is a plain name, never {@code .},
 * {@code ..}, an absolute path or a control character, and the result lies under the folder it is made
 * in. The coordinator and the node agent both use it: under {@code --use-sudo} the agent writes as root.
 */
public final class SafePaths {
    /** A file or folder name as Cassandra makes them (an index folder starts with a dot). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    /** A table folder: {@code <table>} (Cassandra before 2.1) or {@code <table>-<32 hex id>}. */
    private static final Pattern TABLE_DIRECTORY = Pattern.compile("[A-Za-z0-9_]{1,48}(-[0-9A-Fa-f]{32})?");
    private static final String NAME_RULE = "letters, digits, '.', '-' and '_', not '.' or '..'";

    private SafePaths() {
    }

    /** One file or folder name. */
    public static String name(String what, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw invalid(what, value, "a name of " + NAME_RULE);
        }
        return value;
    }

    /** A relative path of names ({@code .<index>/<file>}): no leading '/', no empty, '.' or '..' part. */
    public static String relativePath(String what, String value) {
        if (value == null || value.isEmpty() || value.startsWith("/")) {
            throw invalid(what, value, "a relative path of names of " + NAME_RULE);
        }
        for (String part : value.split("/", -1)) {
            if (part.isEmpty() || !NAME.matcher(part).matches() || part.equals(".") || part.equals("..")) {
                throw invalid(what, value, "a relative path of names of " + NAME_RULE);
            }
        }
        return value;
    }

    /** A table's folder name, {@code <table>} or {@code <table>-<id>}. */
    public static String tableDirectory(String value) {
        if (value == null || !TABLE_DIRECTORY.matcher(value).matches()) {
            throw invalid("table folder", value, "<table> or <table>-<32 hex digits>");
        }
        return value;
    }

    /** An absolute path without '.', '..' or empty parts, nor characters a shell would read. */
    public static String absolutePath(String what, String value) {
        InputValidator.path(what, value);
        boolean plain = value.startsWith("/") && !value.contains("//");
        for (String part : value.substring(1).split("/")) {
            plain &= !part.equals(".") && !part.equals("..");
        }
        if (!plain) {
            throw invalid(what, value, "an absolute path without '.', '..' or empty parts");
        }
        return value;
    }

    /**
     * {@code root} with the relative paths appended, checked once more to lie under {@code root} after
     * normalisation (each part must already be a {@link #relativePath}).
     */
    public static Path under(Path root, String... parts) {
        Path base = root.toAbsolutePath().normalize();
        Path path = base;
        for (String part : parts) {
            path = path.resolve(relativePath("path", part));
        }
        path = path.normalize();
        if (!path.startsWith(base) || path.equals(base)) {
            throw new InvalidInputException("invalid path '" + InputValidator.printable(path.toString(), 300)
                    + "': it is not inside " + base);
        }
        return path;
    }

    private static InvalidInputException invalid(String what, String value, String expected) {
        return new InvalidInputException("invalid " + what + " '" + InputValidator.printable(value, 300)
                + "': expected " + expected);
    }
}
