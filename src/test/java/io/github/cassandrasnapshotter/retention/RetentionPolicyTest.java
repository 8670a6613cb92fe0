package io.github.cassandrasnapshotter.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionPolicyTest {
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static SnapshotCandidate complete(String time) {
        Instant t = Instant.parse(time);
        return new SnapshotCandidate(NAME.format(t), t, true, false);
    }

    private static SnapshotCandidate incomplete(String time) {
        Instant t = Instant.parse(time);
        return new SnapshotCandidate(NAME.format(t), t, false, false);
    }

    private static SnapshotCandidate legacy(String time) {
        Instant t = Instant.parse(time);
        return new SnapshotCandidate(NAME.format(t), t, true, true);
    }

    private static String name(String time) {
        return NAME.format(Instant.parse(time));
    }

    private static RetentionPolicy policy(int last, Duration within, int daily, int weekly, int monthly, ZoneId zone) {
        return new RetentionPolicy(last, within, daily, weekly, monthly, zone, RetentionPolicy.DEFAULT_INCOMPLETE_GRACE,
                false);
    }

    /** A complete snapshot every 6 hours for 400 days before {@link #NOW}. */
    private static List<SnapshotCandidate> history() {
        List<SnapshotCandidate> all = new ArrayList<>();
        for (Instant t = NOW.minus(Duration.ofDays(400)); !t.isAfter(NOW); t = t.plus(Duration.ofHours(6))) {
            all.add(new SnapshotCandidate(NAME.format(t), t, true, false));
        }
        return all;
    }

    private static Set<String> kept(RetentionPolicy policy, List<SnapshotCandidate> snapshots) {
        return new TreeSet<>(policy.decide(snapshots, NOW).kept());
    }

    @Test
    void eachGroupKeepsItsOwnSnapshots() {
        // Daily snapshots of one keyspace, and one weekly-made snapshot of another, in the same base path.
        List<SnapshotCandidate> all = new ArrayList<>();
        for (int day = 10; day >= 1; day--) {
            Instant t = NOW.minus(Duration.ofDays(day));
            all.add(new SnapshotCandidate(NAME.format(t), t, t, true, false, "keyspaces [shop]"));
        }
        Instant billing = NOW.minus(Duration.ofDays(6)).plusSeconds(60);
        all.add(new SnapshotCandidate(NAME.format(billing), billing, billing, true, false, "keyspaces [billing]"));
        RetentionDecision decision = policy(3, null, 0, 0, 0, UTC).decide(all, NOW);
        assertTrue(decision.kept().contains(NAME.format(billing)), "the only billing snapshot: " + decision.kept());
        assertEquals(List.of(RetentionPolicy.NEWEST, "last 3"), decision.reasonsFor(NAME.format(billing)));
        assertEquals(4, decision.kept().size(), "three of shop, one of billing");
    }

    @Test
    void aSnapshotIsAsNewAsItsNewestCompleteRun() {
        Instant old = NOW.minus(Duration.ofDays(10));
        Instant older = NOW.minus(Duration.ofDays(11));
        Instant lastRun = NOW.minus(Duration.ofHours(1));
        SnapshotCandidate withRuns = new SnapshotCandidate(NAME.format(old), old, lastRun, true, false, "");
        SnapshotCandidate withoutRuns = new SnapshotCandidate(NAME.format(older), older, older, true, false, "");
        Instant newer = NOW.minus(Duration.ofDays(3));
        SnapshotCandidate newerNoRuns = new SnapshotCandidate(NAME.format(newer), newer, newer, true, false, "");
        RetentionDecision decision = policy(0, Duration.ofDays(2), 0, 0, 0, UTC).decide(
                List.of(withRuns, withoutRuns, newerNoRuns), NOW);
        assertEquals(List.of(RetentionPolicy.NEWEST, "within 2d"), decision.reasonsFor(withRuns.name()),
                "its runs of the last hour are restore points within 2 days");
        assertEquals(List.of(withoutRuns.name(), newerNoRuns.name()), decision.purged());
    }

    @Test
    void keepLastKeepsTheNNewest() {
        List<SnapshotCandidate> all = history();
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            expected.add(NAME.format(NOW.minus(Duration.ofHours(6L * i))));
        }
        assertEquals(expected, kept(policy(5, null, 0, 0, 0, UTC), all));
        assertEquals(List.of("newest complete", "last 5"), policy(5, null, 0, 0, 0, UTC).decide(all, NOW)
                .reasonsFor(NAME.format(NOW)));
    }

    @Test
    void keepWithinKeepsThoseAfterNowMinusD() {
        Set<String> expected = new TreeSet<>();
        for (Instant t = NOW; t.isAfter(NOW.minus(Duration.ofDays(3))); t = t.minus(Duration.ofHours(6))) {
            expected.add(NAME.format(t));
        }
        RetentionDecision decision = policy(0, Duration.ofDays(3), 0, 0, 0, UTC).decide(history(), NOW);
        assertEquals(expected, new TreeSet<>(decision.kept()));
        assertEquals(12, expected.size());
        assertTrue(decision.reasonsFor(NAME.format(NOW.minus(Duration.ofHours(6)))).contains("within 3d"));
    }

    @Test
    void keepDailyKeepsTheNewestOfEachOfTheLastNDays() {
        // snapshots at 00, 06, 12, 18 UTC; the newest of a past day is 18:00, today's is 12:00 (NOW)
        Set<String> expected = new TreeSet<>(Set.of(name("2026-12-01T12:00:00Z"), name("2026-11-30T18:00:00Z"),
                name("2026-11-29T18:00:00Z")));
        RetentionDecision decision = policy(0, null, 3, 0, 0, UTC).decide(history(), NOW);
        assertEquals(expected, new TreeSet<>(decision.kept()));
        assertEquals(List.of("daily 2026-11-30"), decision.reasonsFor(name("2026-11-30T18:00:00Z")));
        assertEquals(3, decision.keptByRule().get("daily"));
    }

    @Test
    void keepWeeklyAndMonthlyOnTheHistory() {
        // NOW is Tuesday 2026-12-01 (ISO week 49); the newest of week 48 is Sunday 2026-11-29 18:00
        assertEquals(new TreeSet<>(Set.of(name("2026-12-01T12:00:00Z"), name("2026-11-29T18:00:00Z"),
                name("2026-11-22T18:00:00Z"))), kept(policy(0, null, 0, 3, 0, UTC), history()));
        assertEquals(new TreeSet<>(Set.of(name("2026-12-01T12:00:00Z"), name("2026-11-30T18:00:00Z"),
                name("2026-10-31T18:00:00Z"))), kept(policy(0, null, 0, 0, 3, UTC), history()));
        assertEquals(List.of("weekly 2026-W48"),
                policy(0, null, 0, 3, 0, UTC).decide(history(), NOW).reasonsFor(name("2026-11-29T18:00:00Z")));
        assertEquals(List.of("monthly 2026-11"),
                policy(0, null, 0, 0, 3, UTC).decide(history(), NOW).reasonsFor(name("2026-11-30T18:00:00Z")));
    }

    @Test
    void rulesCombineAsAUnion() {
        List<SnapshotCandidate> all = history();
        Set<String> union = new TreeSet<>(kept(policy(2, null, 0, 0, 0, UTC), all));
        union.addAll(kept(policy(0, null, 3, 0, 0, UTC), all));
        union.addAll(kept(policy(0, null, 0, 0, 4, UTC), all));
        RetentionDecision decision = policy(2, null, 3, 0, 4, UTC).decide(all, NOW);
        assertEquals(union, new TreeSet<>(decision.kept()));
        assertEquals(all.size(), decision.kept().size() + decision.purged().size());
    }

    @Test
    void daysAreInTheZone() {
        // 23:30 UTC on 11-29 is 00:30 on 11-30 in Paris
        List<SnapshotCandidate> all = List.of(complete("2026-11-29T10:00:00Z"), complete("2026-11-29T23:30:00Z"),
                complete("2026-11-30T10:00:00Z"));
        Instant now = Instant.parse("2026-11-30T12:00:00Z");
        assertEquals(List.of(name("2026-11-29T23:30:00Z"), name("2026-11-30T10:00:00Z")),
                policy(0, null, 2, 0, 0, UTC).decide(all, now).kept());
        assertEquals(List.of(name("2026-11-29T10:00:00Z"), name("2026-11-30T10:00:00Z")),
                policy(0, null, 2, 0, 0, ZoneId.of("Europe/Paris")).decide(all, now).kept());
    }

    @Test
    void isoWeeksAcrossTheYearEnd() {
        // 2026-12-28 (Mon) to 2027-01-03 (Sun) is 2026-W53; 2027-01-04 starts 2027-W01
        List<SnapshotCandidate> all = List.of(complete("2026-12-27T10:00:00Z"), complete("2026-12-31T10:00:00Z"),
                complete("2027-01-01T10:00:00Z"), complete("2027-01-04T10:00:00Z"));
        Instant now = Instant.parse("2027-01-05T00:00:00Z");
        RetentionDecision decision = policy(0, null, 0, 3, 0, UTC).decide(all, now);
        assertEquals(List.of(name("2026-12-27T10:00:00Z"), name("2027-01-01T10:00:00Z"),
                name("2027-01-04T10:00:00Z")), decision.kept());
        assertEquals(List.of("weekly 2026-W53"), decision.reasonsFor(name("2027-01-01T10:00:00Z")));
        assertEquals(List.of("weekly 2026-W52"), decision.reasonsFor(name("2026-12-27T10:00:00Z")));
        assertEquals(List.of(name("2026-12-31T10:00:00Z")), decision.purged());
    }

    @Test
    void aGapDoesNotShrinkTheDailies() {
        List<SnapshotCandidate> all = new ArrayList<>();
        Set<String> expected = new TreeSet<>();
        LocalDate last = LocalDate.of(2026, 11, 20);
        for (int i = 0; i < 20; i++) {
            SnapshotCandidate morning = complete(last.minusDays(i) + "T06:00:00Z");
            SnapshotCandidate evening = complete(last.minusDays(i) + "T20:00:00Z");
            all.add(morning);
            all.add(evening);
            if (i < 7) {
                expected.add(evening.name());
            }
        }
        // the daemon was stopped 10 days: NOW is 2026-12-01
        assertEquals(expected, kept(policy(0, null, 7, 0, 0, UTC), all));
    }

    @Test
    void theNewestCompleteIsAlwaysKept() {
        List<SnapshotCandidate> all = List.of(complete("2026-10-01T00:00:00Z"), complete("2026-10-02T00:00:00Z"),
                incomplete("2026-12-01T06:00:00Z"));
        RetentionDecision decision = policy(0, Duration.ofDays(1), 0, 0, 0, UTC).decide(all, NOW);
        assertEquals(List.of(name("2026-10-02T00:00:00Z"), name("2026-12-01T06:00:00Z")), decision.kept());
        assertEquals(List.of("newest complete"), decision.reasonsFor(name("2026-10-02T00:00:00Z")));
        assertEquals(List.of(name("2026-10-01T00:00:00Z")), decision.purged());
    }

    @Test
    void incompleteSnapshotsFollowTheGrace() {
        List<SnapshotCandidate> all = List.of(complete("2026-11-01T00:00:00Z"), incomplete("2026-11-29T12:00:01Z"),
                incomplete("2026-11-29T12:00:00Z"));
        RetentionDecision decision = policy(1, null, 0, 0, 0, UTC).decide(all, NOW);
        assertEquals(List.of(name("2026-11-29T12:00:00Z")), decision.purged());
        assertEquals(List.of("incomplete, older than --incomplete-grace 2d"),
                decision.reasonsFor(name("2026-11-29T12:00:00Z")));
        assertEquals(List.of("incomplete, within --incomplete-grace 2d"),
                decision.reasonsFor(name("2026-11-29T12:00:01Z")));
        // an incomplete snapshot does not count for the rules: keep-last 1 keeps the complete one
        assertTrue(decision.kept().contains(name("2026-11-01T00:00:00Z")));
    }

    @Test
    void legacySnapshotsAreKeptUnlessIncluded() {
        List<SnapshotCandidate> all = List.of(legacy("2026-11-01T00:00:00Z"), legacy("2026-11-30T00:00:00Z"),
                complete("2026-11-15T00:00:00Z"));
        RetentionDecision without = policy(1, null, 0, 0, 0, UTC).decide(all, NOW);
        assertEquals(List.of(), without.purged());
        assertEquals(List.of("newest complete", "last 1"), without.reasonsFor(name("2026-11-15T00:00:00Z")));
        assertEquals(List.of("old tool's snapshot: --include-legacy to purge"),
                without.reasonsFor(name("2026-11-01T00:00:00Z")));
        RetentionDecision with = new RetentionPolicy(1, null, 0, 0, 0, UTC, RetentionPolicy.DEFAULT_INCOMPLETE_GRACE,
                true).decide(all, NOW);
        assertEquals(List.of(name("2026-11-30T00:00:00Z")), with.kept());
        assertEquals(List.of(name("2026-11-01T00:00:00Z"), name("2026-11-15T00:00:00Z")), with.purged());
    }

    @Test
    void snapshotsDatedAfterNowAreKept() {
        List<SnapshotCandidate> all = List.of(complete("2026-11-01T00:00:00Z"), complete("2026-12-02T00:00:00Z"));
        RetentionDecision decision = policy(1, null, 0, 0, 0, UTC).decide(all, NOW);
        assertEquals(List.of("dated after now"), decision.reasonsFor(name("2026-12-02T00:00:00Z")));
        assertEquals(2, decision.kept().size());
    }

    @Test
    void noRuleIsRefused() {
        RetentionPolicy none = policy(0, Duration.ZERO, 0, 0, 0, UTC);
        assertEquals(false, none.anyRule());
        assertTrue(assertThrows(IllegalStateException.class, () -> none.decide(history(), NOW)).getMessage()
                .startsWith("no retention rule is set"));
    }

    @Test
    void invalidArgumentsNameTheFlag() {
        assertEquals("--keep-last must be 0 or more, not -1", assertThrows(IllegalArgumentException.class,
                () -> policy(-1, null, 0, 0, 0, UTC)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> policy(0, Duration.ofDays(-1), 0, 0, 0, UTC))
                .getMessage().startsWith("--keep-within "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> policy(0, null, -2, 0, 0, UTC))
                .getMessage().startsWith("--keep-daily "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> policy(0, null, 0, -2, 0, UTC))
                .getMessage().startsWith("--keep-weekly "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> policy(0, null, 0, 0, -2, UTC))
                .getMessage().startsWith("--keep-monthly "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RetentionPolicy(1, null, 0, 0, 0, UTC,
                Duration.ofHours(-1), false)).getMessage().startsWith("--incomplete-grace "));
    }

    @Test
    void describeListsTheFlags() {
        assertEquals("--keep-last 3 --keep-daily 7 (Europe/Paris)",
                policy(3, null, 7, 0, 0, ZoneId.of("Europe/Paris")).describe());
        assertEquals("--keep-within 30d --keep-monthly 12 (Z)", policy(0, Duration.ofDays(30), 0, 0, 12, UTC).describe());
    }

    @Test
    void inputOrderDoesNotMatter() {
        List<SnapshotCandidate> all = new ArrayList<>(history());
        all.add(incomplete("2026-11-30T01:00:00Z"));
        all.add(legacy("2025-12-01T01:00:00Z"));
        RetentionPolicy policy = policy(4, Duration.ofDays(2), 7, 5, 12, ZoneId.of("Europe/Paris"));
        RetentionDecision sorted = policy.decide(all, NOW);
        Collections.shuffle(all, new Random(20));
        RetentionDecision shuffled = policy.decide(all, NOW);
        assertEquals(sorted.kept(), shuffled.kept());
        assertEquals(sorted.purged(), shuffled.purged());
        assertEquals(sorted.keptByRule(), shuffled.keptByRule());
    }
}
