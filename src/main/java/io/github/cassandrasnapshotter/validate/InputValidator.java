package io.github.cassandrasnapshotter.validate;

import java.util.regex.Pattern;

/**
 * Checks every value that can reach a remote shell or an object key. Values are also quoted when
 * they reach a shell; validation is what keeps a bad value from reaching it at all.
 */
public final class InputValidator {
    /** Cassandra's rule for keyspace and table names. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]{1,48}");
    /** Host names (RFC 1123 labels), IPv4 and IPv6 literals. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})");
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    /** Paths and command words: no shell metacharacters, no spaces, no leading dash. */
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_./@%+=:,~][A-Za-z0-9_./@%+=:,~-]*");
    /** Later words of a command may be options. */
    private static final Pattern COMMAND_WORD = Pattern.compile("[A-Za-z0-9_./@%+=:,~-]+");
    private static final Pattern STORAGE_CLASS = Pattern.compile("[A-Z_]{2,40}");
    /** A KMS key id, key ARN, alias name or alias ARN: printable ASCII without spaces, at most 2048 characters. */
    private static final Pattern KMS_KEY_ID = Pattern.compile("[\\x21-\\x7E]{1,2048}");

    private InputValidator() {
    }

    public static String identifier(String what, String value) {
        return require(IDENTIFIER, what, value,
                "letters, digits and underscore, 1 to 48 characters");
    }

    public static String host(String value) {
        if (!isHost(value)) {
            throw new InvalidInputException("invalid host '" + printable(value) + "': expected a host name or IP address");
        }
        return value;
    }

    /**
     * A host the coordinator logs in to over SSH. IPv6 literals and {@code host:port} are refused:
     * the SSH endpoint and the object keys take a plain host, and the port is {@code --sshport}.
     */
    public static String sshHost(String value) {
        if (value != null && (value.contains(":") || value.contains("[") || value.contains("]"))) {
            throw new InvalidInputException("invalid host '" + printable(value) + "' in --hosts: IPv6 literals and "
                    + "host:port are not supported; give a host name (DNS or /etc/hosts, also for an IPv6 node) "
                    + "and the SSH port with --sshport");
        }
        return host(value);
    }

    /** Whether {@link #host} accepts the value. */
    public static boolean isHost(String value) {
        return value != null && !value.contains("..") && HOST.matcher(value).matches();
    }

    /** Whether {@link #sshHost} accepts the value: a host name or IPv4 address, no port. */
    public static boolean isSshHost(String value) {
        return isHost(value) && !value.contains(":");
    }

    public static String user(String value) {
        return require(USER, "user", value, "a login name");
    }

    public static String path(String what, String value) {
        return require(SAFE_WORD, what, value, "a path without spaces or shell characters");
    }

    public static String commandWord(String what, String value) {
        return require(COMMAND_WORD, what, value, "words without shell characters");
    }

    public static String snapshotName(String value) {
        return require(SnapshotName.SHAPE, "snapshot name", value, "a UTC time YYYYmmddHHMMSS");
    }

    public static String storageClass(String value) {
        return require(STORAGE_CLASS, "storage class", value, "an S3 storage class such as STANDARD_IA");
    }

    /** The shape only: whether KMS knows the key (and lets us use it), the store tells on the first write. */
    public static String kmsKeyId(String value) {
        return require(KMS_KEY_ID, "--s3-sse-kms-key-id", value,
                "a KMS key id, key ARN or alias/NAME, without spaces");
    }

    private static String require(Pattern pattern, String what, String value, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidInputException("invalid " + what + " '" + printable(value) + "': expected " + expected);
        }
        return value;
    }

    private static String printable(String value) {
        return printable(value, 80);
    }

    /** The value for a message of one line: control characters shown as '?', at most {@code limit} characters. */
    public static String printable(String value, int limit) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(limit).forEach(c -> out.append(Character.isISOControl(c) ? '?' : Character.toString(c)));
        return out.toString();
    }
}
