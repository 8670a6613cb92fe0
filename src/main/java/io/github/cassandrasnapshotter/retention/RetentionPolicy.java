package io.github.cassandrasnapshotter.retention;

import io.github.cassandrasnapshotter.backup.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which snapshots to keep. A snapshot is kept when any rule keeps it; only complete snapshots count
 * for the rules:
 * <ul>
 *   <li>{@code --keep-last N}: the N newest;</li>
 *   <li>{@code --keep-within D}: every one taken after now − D;</li>
 *   <li>{@code --keep-daily}, {@code --keep-weekly}, {@code --keep-monthly N}: the newest of each of the
 *       last N days (ISO weeks, months) of {@code zone} <em>that have one</em>, as restic and borg count
 *       them: a daemon that stopped for two weeks still keeps N dailies rather than none.</li>
 * </ul>
 * The rules apply to each group of snapshots on its own ({@link SnapshotCandidate#group}: what they back
 * up), and judge a snapshot by its newest restore point ({@link SnapshotCandidate#latest}: its newest
 * complete incremental run), so that a weekly snapshot with hourly runs counts as new while its runs are.
 * Always kept: the newest complete snapshot of each group; snapshots dated after now (a clock ahead); the old
 * tool's snapshots unless {@code includeLegacy} (then they are ordinary snapshots). An incomplete
 * snapshot is kept while younger than {@code incompleteGrace}, then purged.
 *
 * @param keepWithin null or zero: off; each count 0: off
 */
public record RetentionPolicy(int keepLast, Duration keepWithin, int keepDaily, int keepWeekly, int keepMonthly,
                              ZoneId zone, Duration incompleteGrace, boolean includeLegacy) {
    public static final Duration DEFAULT_INCOMPLETE_GRACE = Duration.ofDays(2);
    public static final String NEWEST = "newest complete";

    public RetentionPolicy {
        requireCount("--keep-last", keepLast);
        requireCount("--keep-daily", keepDaily);
        requireCount("--keep-weekly", keepWeekly);
        requireCount("--keep-monthly", keepMonthly);
        if (keepWithin != null && keepWithin.isNegative()) {
            throw new IllegalArgumentException("--keep-within must not be negative");
        }
        if (keepWithin != null && keepWithin.isZero()) {
            keepWithin = null;
        }
        if (incompleteGrace == null) {
            incompleteGrace = DEFAULT_INCOMPLETE_GRACE;
        }
        if (incompleteGrace.isNegative()) {
            throw new IllegalArgumentException("--incomplete-grace must not be negative");
        }
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    private static void requireCount(String flag, int count) {
        if (count < 0) {
            throw new IllegalArgumentException(flag + " must be 0 or more, not " + count);
        }
    }

    /** Whether any keep rule is set: without one, nothing may be purged. */
    public boolean anyRule() {
        return keepLast > 0 || keepWithin != null || keepDaily > 0 || keepWeekly > 0 || keepMonthly > 0;
    }

    /** The rules as the flags that set them, e.g. {@code --keep-last 3 --keep-daily 7 (Europe/Paris)}. */
    public String describe() {
        List<String> rules = new ArrayList<>();
        if (keepLast > 0) {
            rules.add("--keep-last " + keepLast);
        }
        if (keepWithin != null) {
            rules.add("--keep-within " + Durations.describe(keepWithin));
        }
        if (keepDaily > 0) {
            rules.add("--keep-daily " + keepDaily);
        }
        if (keepWeekly > 0) {
            rules.add("--keep-weekly " + keepWeekly);
        }
        if (keepMonthly > 0) {
            rules.add("--keep-monthly " + keepMonthly);
        }
        if (includeLegacy) {
            rules.add("--include-legacy");
        }
        return String.join(" ", rules) + " (" + zone.getId() + ")";
    }

    /**
     * @throws IllegalStateException when no keep rule is set: purging all but one snapshot by accident
     *                               must be impossible
     */
    public RetentionDecision decide(List<SnapshotCandidate> snapshots, Instant now) {
        if (!anyRule()) {
            throw new IllegalStateException("no retention rule is set (--keep-last, --keep-within, --keep-daily, "
                    + "--keep-weekly, --keep-monthly): nothing is purged");
        }
        Map<String, List<String>> kept = new TreeMap<>();
        Map<String, String> purged = new TreeMap<>();
        Map<String, Integer> byRule = new LinkedHashMap<>();
        List<SnapshotCandidate> counted = new ArrayList<>();
        for (SnapshotCandidate snapshot : snapshots) {
            if (snapshot.time().isAfter(now)) {
                keep(kept, byRule, snapshot, "dated after now");
            } else if (snapshot.legacy() && !includeLegacy) {
                keep(kept, byRule, snapshot, "old tool's snapshot: --include-legacy to purge");
            } else if (!snapshot.complete()) {
                String grace = "--incomplete-grace " + Durations.describe(incompleteGrace);
                if (Duration.between(snapshot.time(), now).compareTo(incompleteGrace) < 0) {
                    keep(kept, byRule, snapshot, "incomplete, within " + grace);
                } else {
                    purged.put(snapshot.name(), "incomplete, older than " + grace);
                }
            } else {
                counted.add(snapshot);
            }
        }
        // Each group (what a snapshot backs up) on its own: another selection's snapshots never push one out.
        Map<String, List<SnapshotCandidate>> groups = new TreeMap<>();
        counted.forEach(snapshot -> groups.computeIfAbsent(snapshot.group(), g -> new ArrayList<>()).add(snapshot));
        for (List<SnapshotCandidate> group : groups.values()) {
            keepOf(group, now, kept, byRule);
        }
        for (SnapshotCandidate snapshot : counted) {
            if (!kept.containsKey(snapshot.name())) {
                purged.put(snapshot.name(), "no rule keeps it");
            }
        }
        return new RetentionDecision(kept, purged, byRule);
    }

    /** The rules over one group's complete snapshots, judged by their newest restore point. */
    private void keepOf(List<SnapshotCandidate> group, Instant now, Map<String, List<String>> kept,
                        Map<String, Integer> byRule) {
        // Newest first; equal times are ordered by name, so that input order never matters.
        List<SnapshotCandidate> newestFirst = new ArrayList<>(group);
        newestFirst.sort(Comparator.comparing(SnapshotCandidate::latest).thenComparing(SnapshotCandidate::name).reversed());
        for (int i = 0; i < newestFirst.size(); i++) {
            SnapshotCandidate snapshot = newestFirst.get(i);
            if (i == 0) {
                keep(kept, byRule, snapshot, NEWEST);
            }
            if (i < keepLast) {
                keep(kept, byRule, snapshot, "last " + keepLast);
            }
            if (keepWithin != null && snapshot.latest().isAfter(now.minus(keepWithin))) {
                keep(kept, byRule, snapshot, "within " + Durations.describe(keepWithin));
            }
        }
        newestOfEach(newestFirst, keepDaily, "daily", t -> LocalDate.ofInstant(t, zone).toString(), kept, byRule);
        newestOfEach(newestFirst, keepWeekly, "weekly", t -> {
            LocalDate day = LocalDate.ofInstant(t, zone);
            return String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
        }, kept, byRule);
        newestOfEach(newestFirst, keepMonthly, "monthly", t -> YearMonth.from(LocalDate.ofInstant(t, zone)).toString(),
                kept, byRule);
    }

    /** Keeps the newest snapshot of each of the newest {@code periods} periods that have one; {@code newestFirst} is sorted. */
    private static void newestOfEach(List<SnapshotCandidate> newestFirst, int periods, String rule,
                                     Function<Instant, String> period, Map<String, List<String>> kept,
                                     Map<String, Integer> byRule) {
        String last = null;
        int seen = 0;
        for (SnapshotCandidate snapshot : newestFirst) {
            if (seen == periods) {
                return;
            }
            String label = period.apply(snapshot.latest());
            if (!Objects.equals(label, last)) {
                keep(kept, byRule, snapshot, rule + " " + label);
                last = label;
                seen++;
            }
        }
    }

    private static void keep(Map<String, List<String>> kept, Map<String, Integer> byRule, SnapshotCandidate snapshot,
                             String reason) {
        kept.computeIfAbsent(snapshot.name(), n -> new ArrayList<>()).add(reason);
        String rule = reason.startsWith("daily ") ? "daily" : reason.startsWith("weekly ") ? "weekly"
                : reason.startsWith("monthly ") ? "monthly" : reason.startsWith("last ") ? "last"
                : reason.startsWith("within ") ? "within" : reason;
        byRule.merge(rule, 1, Integer::sum);
    }
}
