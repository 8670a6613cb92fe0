package io.github.cassandrasnapshotter;

import io.github.cassandrasnapshotter.backup.BackupOutcome;
import io.github.cassandrasnapshotter.backup.BackupPlan;
import io.github.cassandrasnapshotter.restore.HostRestore;
import io.github.cassandrasnapshotter.restore.RestorePlan;
import io.github.cassandrasnapshotter.storage.RunLock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routes' simple expressions call into exchange properties by method name, which the compiler does
 * not see: each call must be one public method without arguments of the property's own type (never a
 * path through a field of it, such as {@code plan.request().s3()}), so that a renamed method fails here
 * rather than in a production run.
 */
class RouteExpressionsTest {
    /** The type of each exchange property the routes of a file call into. */
    private static final Map<String, Map<String, Class<?>>> PROPERTIES = Map.of(
            "backup.camel.yaml", Map.of("plan", BackupPlan.class, "outcome", BackupOutcome.class, "lock", RunLock.class),
            "node.camel.yaml", Map.of("plan", BackupPlan.class),
            "schedule.camel.yaml", Map.of("plan", BackupPlan.class),
            "restore.camel.yaml", Map.of("plan", RestorePlan.class),
            "restore-in-place.camel.yaml", Map.of("plan", RestorePlan.class, "hostRestore", HostRestore.class),
            "list.camel.yaml", Map.of(),
            "purge.camel.yaml", Map.of(),
            "errors.camel.yaml", Map.of());

    /** {@code exchangeProperty.NAME} and the calls after it, {@code .a().b()}. */
    private static final Pattern CALLS = Pattern.compile("exchangeProperty\\.(\\w+)((?:\\.\\w+\\([^()]*\\))*)");
    private static final Pattern CALL = Pattern.compile("\\.(\\w+)\\(([^()]*)\\)");

    @Test
    void everyRouteFileIsKnown() throws IOException {
        try (var files = Files.list(Path.of("routes"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(PROPERTIES.keySet().stream().sorted().toList(), names);
        }
    }

    @Test
    void propertyCallsAreOneAccessorOfTheirType() throws IOException {
        List<String> problems = new ArrayList<>();
        for (var file : PROPERTIES.entrySet()) {
            String text = Files.readString(Path.of("routes", file.getKey()));
            Matcher m = CALLS.matcher(text);
            while (m.find()) {
                String where = file.getKey() + ": " + m.group();
                Class<?> type = file.getValue().get(m.group(1));
                if (type == null) {
                    problems.add(where + ": property of no known type (add it to PROPERTIES)");
                    continue;
                }
                List<String> calls = new ArrayList<>();
                Matcher call = CALL.matcher(m.group(2));
                while (call.find()) {
                    if (!call.group(2).isBlank()) {
                        problems.add(where + ": a call with arguments");
                    }
                    calls.add(call.group(1));
                }
                if (calls.size() > 1) {
                    problems.add(where + ": reaches through " + type.getSimpleName() + " into another type; give "
                            + type.getSimpleName() + " an accessor");
                } else if (calls.size() == 1 && !hasAccessor(type, calls.get(0))) {
                    problems.add(where + ": " + type.getSimpleName() + " has no public " + calls.get(0) + "()");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static boolean hasAccessor(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            return Modifier.isPublic(method.getModifiers()) && method.getReturnType() != void.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
