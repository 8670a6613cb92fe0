package io.github.cassandrasnapshotter.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decision on a bucket's lifecycle rules, as the SDK reads them, for snapshots under base/. */
class LifecycleCheckTest {
    static final String BUCKET = "backups";
    static final String BASE = "base/";

    static LifecycleRule rule(String id, Consumer<LifecycleRule.Builder> rest) {
        LifecycleRule.Builder rule = LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED);
        rest.accept(rule);
        return rule.build();
    }

    static LifecycleRule expiring(String id, String prefix, int days) {
        return rule(id, r -> r.filter(f -> f.prefix(prefix)).expiration(e -> e.days(days)));
    }

    static Optional<String> why(LifecycleRule... rules) {
        return LifecycleCheck.whyCopies(List.of(rules), BUCKET, BASE);
    }

    @Test
    void anExpirationUnderTheBasePathMeansCopies() {
        assertEquals(Optional.of("lifecycle rule 'expire-old' of bucket backups expires objects under base/ after 30 days:"
                        + " each snapshot stores its own copies (purge is the way to delete with references)"),
                why(expiring("expire-old", "base/", 30)));
    }

    @Test
    void anExpirationOnAnotherPrefixDoesNotMatter() {
        assertEquals(Optional.empty(), why(expiring("logs", "logs/", 7)));
        // Not a prefix of base/ either way, though it starts with the same letters.
        assertEquals(Optional.empty(), why(expiring("basement", "basement/", 7)));
    }

    @Test
    void aParentPrefixCoversTheBasePath() {
        assertEquals(Optional.of("lifecycle rule 'parent' of bucket backups expires objects under b after 30 days:"
                        + " each snapshot stores its own copies (purge is the way to delete with references)"),
                why(expiring("parent", "b", 30)));
        assertTrue(LifecycleCheck.whyCopies(List.of(expiring("parent", "team/", 30)), BUCKET, "team/cluster/").isPresent());
    }

    @Test
    void aChildPrefixReachesObjectsUnderTheBasePath() {
        assertTrue(why(expiring("one-snapshot", "base/snapshots/", 30)).orElseThrow().contains("under base/snapshots/"));
    }

    @Test
    void aRuleWithoutPrefixCoversTheWholeBucket() {
        assertTrue(why(rule("all", r -> r.filter(LifecycleRuleFilter.builder().build()).expiration(e -> e.days(90))))
                .orElseThrow().contains("'all' of bucket backups expires objects in the whole bucket after 90 days"));
        assertTrue(why(rule("legacy-empty", r -> r.prefix("").expiration(e -> e.days(90)))).isPresent());
        assertTrue(why(rule("no-filter", r -> r.expiration(e -> e.days(90)))).isPresent());
    }

    @Test
    void theBucketRootIsUnderEveryPrefix() {
        assertTrue(LifecycleCheck.whyCopies(List.of(expiring("logs", "logs/", 7)), BUCKET,
                LifecycleCheck.basePrefix("/")).isPresent());
        assertEquals("base/", LifecycleCheck.basePrefix("/base/"));
    }

    @Test
    void aDisabledRuleDoesNotMatter() {
        assertEquals(Optional.empty(), why(rule("off", r -> r.status(ExpirationStatus.DISABLED)
                .filter(f -> f.prefix("base/")).expiration(e -> e.days(1)))));
    }

    @Test
    void anExpirationOfDeleteMarkersOnlyDoesNotMatter() {
        assertEquals(Optional.empty(), why(rule("markers", r -> r.filter(f -> f.prefix(""))
                .expiration(e -> e.expiredObjectDeleteMarker(true)))));
    }

    @Test
    void anExpirationOnADateMatters() {
        assertTrue(why(rule("dated", r -> r.prefix("base/").expiration(e -> e.date(Instant.parse("2027-01-01T00:00:00Z")))))
                .orElseThrow().contains("'dated' of bucket backups expires objects under base/ on 2027-01-01"));
    }

    @Test
    void aTransitionMatters() {
        assertTrue(why(rule("archive", r -> r.filter(f -> f.prefix("base/"))
                        .transitions(t -> t.days(90).storageClass(TransitionStorageClass.GLACIER))))
                .orElseThrow().contains("'archive' of bucket backups moves objects under base/ to GLACIER after 90 days"));
    }

    @Test
    void noncurrentVersionsAndIncompleteUploadsAloneDoNotMatter() {
        assertEquals(Optional.empty(), why(rule("noncurrent", r -> r.filter(f -> f.prefix(""))
                .noncurrentVersionExpiration(e -> e.noncurrentDays(30))
                .noncurrentVersionTransitions(t -> t.noncurrentDays(10).storageClass(TransitionStorageClass.GLACIER))
                .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(7)))));
    }

    @Test
    void aRuleThatNeedsATagNeverMatchesOurObjects() {
        assertEquals(Optional.empty(), why(rule("tagged", r -> r.filter(f -> f.tag(Tag.builder().key("tier").value("tmp").build()))
                .expiration(e -> e.days(1)))));
        assertEquals(Optional.empty(), why(rule("tagged-and", r -> r.filter(f -> f.and(a -> a.prefix("base/")
                .tags(Tag.builder().key("tier").value("tmp").build()))).expiration(e -> e.days(1)))));
    }

    @Test
    void anAndFilterWithAPrefixUsesItsPrefix() {
        LifecycleRuleAndOperator underBase = LifecycleRuleAndOperator.builder().prefix("base/").objectSizeGreaterThan(1024L).build();
        assertTrue(why(rule("and", r -> r.filter(f -> f.and(underBase)).expiration(e -> e.days(5))))
                .orElseThrow().contains("'and' of bucket backups expires objects under base/ after 5 days"));
        LifecycleRuleAndOperator elsewhere = LifecycleRuleAndOperator.builder().prefix("logs/").objectSizeGreaterThan(1024L).build();
        assertEquals(Optional.empty(), why(rule("and-elsewhere", r -> r.filter(f -> f.and(elsewhere)).expiration(e -> e.days(5)))));
    }

    @Test
    void aSizeFilterMayMatchSoItApplies() {
        assertTrue(why(rule("big", r -> r.filter(f -> f.objectSizeGreaterThan(1_000_000L)).expiration(e -> e.days(5)))).isPresent());
        assertTrue(why(rule("small", r -> r.filter(f -> f.objectSizeLessThan(1_000L)).expiration(e -> e.days(5)))).isPresent());
    }

    @Test
    void theReasonNamesTheRuleThatMatters() {
        assertTrue(why(expiring("logs", "logs/", 7), expiring("snapshots", "base/", 30), expiring("later", "base/", 60))
                .orElseThrow().startsWith("lifecycle rule 'snapshots' of bucket backups "));
    }

    @Test
    void noRulesMeanReferencesAreSafe() {
        assertEquals(Optional.empty(), LifecycleCheck.whyCopies(List.of(), BUCKET, BASE));
    }
}
