package io.github.cassandrasnapshotter.storage;

import io.github.cassandrasnapshotter.util.RootCause;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleAndOperator;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Transition;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Whether a backup may name, in its file list, objects stored by older snapshots (references) instead
 * of copying them. A lifecycle rule that expires objects by age, or transitions them to another storage
 * class (an archive class cannot be read by a restore), would remove or freeze an old object that a newer
 * snapshot still refers to. So references are safe only when no enabled rule with an Expiration (days or
 * date) or a Transition can reach objects under the base path; otherwise, and whenever the configuration
 * cannot be read, each snapshot stores its own copies, and the one-sentence reason goes into the backup summary.
 */
public final class LifecycleCheck {
    private LifecycleCheck() {
    }

    /** Empty when references are safe in {@code bucket} under {@code basePath}; otherwise why each snapshot gets its own copies. */
    public static Optional<String> whyCopies(S3Client s3, String bucket, String basePath) {
        List<LifecycleRule> rules;
        try {
            rules = s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 404 && "NoSuchLifecycleConfiguration".equals(code)) {
                return Optional.empty();
            }
            // S3Proxy answers 501 NotImplemented: a store without lifecycle rules at all.
            if (e.statusCode() == 501) {
                return Optional.empty();
            }
            return Optional.of(cannotRead(bucket, "HTTP " + e.statusCode() + (code == null ? "" : " " + code))
                    + (e.statusCode() == 403 ? "; allow s3:GetLifecycleConfiguration to store each SSTable once" : ""));
        } catch (SdkException e) {
            // No answer (network, or an answer that could not be read): the safe side, without the message's details.
            return Optional.of(cannotRead(bucket, "no answer: " + RootCause.of(e).getClass().getSimpleName()));
        }
        return whyCopies(rules, bucket, basePrefix(basePath));
    }

    /**
     * The decision on rules as the SDK reads them: the first enabled rule that expires or transitions
     * objects a snapshot under {@code basePrefix} ("base/", or "" for the bucket's root) may refer to.
     */
    static Optional<String> whyCopies(List<LifecycleRule> rules, String bucket, String basePrefix) {
        for (LifecycleRule rule : rules) {
            if (rule.status() != ExpirationStatus.ENABLED || needsTag(rule.filter())) {
                continue;
            }
            String prefix = prefix(rule);
            if (!basePrefix.startsWith(prefix) && !prefix.startsWith(basePrefix)) {
                continue;
            }
            String what = action(rule);
            if (what != null) {
                String name = rule.id() == null || rule.id().isEmpty() ? "a lifecycle rule without id" : "lifecycle rule '" + rule.id() + "'";
                String where = prefix.isEmpty() ? "in the whole bucket" : "under " + prefix;
                return Optional.of(name + " of bucket " + bucket + " " + what.formatted(where)
                        + ": each snapshot stores its own copies (purge is the way to delete with references)");
            }
        }
        return Optional.empty();
    }

    /** "base/" for the base path "/base/", "" for the bucket's root, as the keys are written (S3Settings). */
    static String basePrefix(String basePath) {
        String normalized = S3Settings.normalizeBasePath(basePath);
        return normalized.isEmpty() ? "" : normalized + "/";
    }

    private static String cannotRead(String bucket, String why) {
        return "cannot read the lifecycle configuration of bucket " + bucket + " (" + why + "): each snapshot stores its own copies";
    }

    /**
     * A rule that needs a tag never matches our objects: the tool writes no tags. Size filters are
     * not looked at: some objects would match them, so such a rule applies.
     */
    private static boolean needsTag(LifecycleRuleFilter filter) {
        if (filter == null) {
            return false;
        }
        LifecycleRuleAndOperator and = filter.and();
        return filter.tag() != null || (and != null && and.hasTags() && !and.tags().isEmpty());
    }

    /** The rule's key prefix, the legacy one or its filter's; "" when it has none (the whole bucket). */
    private static String prefix(LifecycleRule rule) {
        LifecycleRuleFilter filter = rule.filter();
        for (String prefix : new String[] {rule.prefix(), filter == null ? null : filter.prefix(),
                filter == null || filter.and() == null ? null : filter.and().prefix()}) {
            if (prefix != null && !prefix.isEmpty()) {
                return prefix;
            }
        }
        return "";
    }

    /**
     * What the rule does to current objects, with %s for where; null when it does nothing that matters
     * (a delete-marker-only expiration, noncurrent versions, incomplete uploads).
     */
    private static String action(LifecycleRule rule) {
        LifecycleExpiration expiration = rule.expiration();
        if (expiration != null && (expiration.days() != null || expiration.date() != null)) {
            return "expires objects %s " + when(expiration.days(), expiration.date());
        }
        if (rule.hasTransitions() && !rule.transitions().isEmpty()) {
            Transition transition = rule.transitions().get(0);
            return "moves objects %s to " + transition.storageClassAsString() + " " + when(transition.days(), transition.date());
        }
        return null;
    }

    private static String when(Integer days, Instant date) {
        if (days != null) {
            return "after " + days + " days";
        }
        return date == null ? "at once" : "on " + LocalDate.ofInstant(date, ZoneOffset.UTC);
    }
}
