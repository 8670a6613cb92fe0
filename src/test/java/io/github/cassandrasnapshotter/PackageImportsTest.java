package io.github.cassandrasnapshotter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The packages of src/main are layers: no package names a class of a package that, directly or
 * through others, names one of its own (docs/design.md, "Packages"). A cycle means one of them holds
 * something that belongs below both.
 */
class PackageImportsTest {
    private static final Path SOURCES = Path.of("src/main/java/io/github/cassandrasnapshotter");
    /** A use of one of our classes by its package: an import, or a fully qualified name in the code. */
    private static final Pattern USE = Pattern.compile("io\\.github\\.cassandrasnapshotter\\.([a-z]+)\\.[A-Z]");

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> uses = uses();
        assertFalse(uses.isEmpty(), "packages read from " + SOURCES.toAbsolutePath());
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            cycleFrom(start, start, uses, new ArrayList<>(List.of(start)), new TreeSet<>(), cycles);
        }
        assertEquals(List.of(), cycles, "package cycles, each from its alphabetically first package; uses: " + uses);
    }

    private static void cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path,
                                  Set<String> seen, List<String> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" -> ", path) + " -> " + start);
            } else if (next.compareTo(start) > 0 && seen.add(next)) {
                path.add(next);
                cycleFrom(start, next, uses, path, seen, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Each package of src/main and the other packages of ours its classes name. */
    static Map<String, Set<String>> uses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path folder = SOURCES.relativize(file).getParent();
                if (folder == null) {
                    continue; // the root package: Version, which every package may name
                }
                String pkg = folder.toString();
                Set<String> used = uses.computeIfAbsent(pkg, p -> new TreeSet<>());
                Matcher use = USE.matcher(Files.readString(file));
                while (use.find()) {
                    if (!use.group(1).equals(pkg)) {
                        used.add(use.group(1));
                    }
                }
            }
        }
        return uses;
    }
}
