package io.github.cassandrasnapshotter.retention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which snapshots a {@link RetentionPolicy} keeps, each with the rules that keep it, and which it purges, and why. */
public final class RetentionDecision {
    private final Map<String, List<String>> kept;
    private final Map<String, String> purged;
    private final Map<String, Integer> keptByRule;

    RetentionDecision(Map<String, List<String>> kept, Map<String, String> purged, Map<String, Integer> keptByRule) {
        Map<String, List<String>> copy = new TreeMap<>();
        kept.forEach((name, reasons) -> copy.put(name, List.copyOf(reasons)));
        this.kept = java.util.Collections.unmodifiableMap(copy);
        this.purged = java.util.Collections.unmodifiableMap(new TreeMap<>(purged));
        this.keptByRule = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keptByRule));
    }

    /** Names kept, oldest first. */
    public List<String> kept() {
        return new ArrayList<>(kept.keySet());
    }

    /** Names to purge, oldest first. */
    public List<String> purged() {
        return new ArrayList<>(purged.keySet());
    }

    /** Why a snapshot is kept (every rule that keeps it), or the one reason it is purged. */
    public List<String> reasonsFor(String name) {
        if (kept.containsKey(name)) {
            return kept.get(name);
        }
        return purged.containsKey(name) ? List.of(purged.get(name)) : List.of();
    }

    /** Rule → how many snapshots it keeps (a snapshot kept by two rules counts for both). */
    public Map<String, Integer> keptByRule() {
        return keptByRule;
    }
}
