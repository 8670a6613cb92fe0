package io.github.cassandrasnapshotter.cli;

import io.github.cassandrasnapshotter.validate.InvalidInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A password given one of three ways: on the command line ({@code --password}, visible in {@code ps}),
 * from a file ({@code --password-file}: its first line) or from an environment variable
 * ({@code --password-env NAME}), so that a daemon running for weeks does not carry it in its command line.
 * Messages name the flag, the file or the variable, never the value.
 */
final class SecretOptions {
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SecretOptions() {
    }

    /**
     * The secret from whichever of the three was given, or null for none.
     *
     * @param flag        the command-line flag, such as {@code --password}; its file and environment forms are
     *                    {@code <flag>-file} and {@code <flag>-env}
     * @param environment where {@code variable} is looked up (the process's environment)
     */
    static String resolve(String flag, String value, Path file, String variable, Map<String, String> environment) {
        int given = (value != null ? 1 : 0) + (file != null ? 1 : 0) + (variable != null ? 1 : 0);
        if (given > 1) {
            throw new InvalidInputException(flag + ", " + flag + "-file and " + flag + "-env exclude each other");
        }
        if (file != null) {
            return fromFile(flag + "-file", file);
        }
        if (variable != null) {
            if (!VARIABLE.matcher(variable).matches()) {
                // Not repeated: it may be the password itself, given where its variable's name belongs.
                throw new InvalidInputException(flag + "-env takes the name of an environment variable (letters, "
                        + "digits and '_'), not a password");
            }
            String secret = environment.get(variable);
            if (secret == null || secret.isEmpty()) {
                // Not repeated either: a password of letters and digits given there by mistake passes the check.
                throw new InvalidInputException(flag + "-env: the environment has no such variable, or it is empty");
            }
            return secret;
        }
        return value;
    }

    /** The file's first line, without its line end. */
    private static String fromFile(String flag, Path file) {
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(flag + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        String secret = content.lines().findFirst().orElse("");
        if (secret.isEmpty()) {
            throw new InvalidInputException(flag + " " + file + " holds no password on its first line");
        }
        return secret;
    }
}
