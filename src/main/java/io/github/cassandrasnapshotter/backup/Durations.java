package io.github.cassandrasnapshotter.backup;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 7d}, {@code 12h}, {@code 90m}, {@code 30s}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([dhms])");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a message for the operator */
    public static Duration parse(String text) {
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 7d, 12h, 90m or 30s");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    public static String describe(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds >= 86_400 && seconds % 86_400 == 0 || seconds >= 172_800) {
            return seconds / 86_400 + "d" + (seconds % 86_400 >= 3600 ? " " + seconds % 86_400 / 3600 + "h" : "");
        }
        if (seconds >= 3600) {
            return seconds / 3600 + "h" + (seconds % 3600 >= 60 ? " " + seconds % 3600 / 60 + "m" : "");
        }
        if (seconds >= 60) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }
}
