package io.s3d.filter;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One filter as written, parsed: a bucket pattern with its bucket-tag conditions, an optional key
 * pattern, and the object's conditions. {@code exclude} is a rule written with {@code !} (or listed
 * under {@code exclude:}).
 *
 * @param bucket the bucket glob ({@code *} any characters of a bucket name)
 * @param key the key pattern, null for every key: without {@code *} a key prefix, with {@code *}
 *        (any characters, {@code /} included) a pattern of the whole key
 */
public record Rule(String text, boolean exclude, Pattern bucket, List<Condition> bucketConditions, Pattern key,
        List<Condition> objectConditions) {

    public Rule {
        bucketConditions = List.copyOf(bucketConditions);
        objectConditions = List.copyOf(objectConditions);
    }

    /** Whether the object matches the rule (what {@code exclude} makes of that is the rule set's job). */
    public boolean matches(ObjectFacts facts) {
        if (!bucket.matcher(facts.bucket()).matches()) {
            return false;
        }
        if (key != null && !key.matcher(facts.key()).matches()) {
            return false;
        }
        // Names first, cheap facts next: a bucket's tags may have to be fetched (and are cached).
        for (Condition c : objectConditions) {
            if (c.source() != Source.OBJECT_TAG && !c.holds(facts)) {
                return false;
            }
        }
        for (Condition c : objectConditions) {
            if (c.source() == Source.OBJECT_TAG && !c.holds(facts)) {
                return false;
            }
        }
        for (Condition c : bucketConditions) {
            if (!c.holds(facts)) {
                return false;
            }
        }
        return true;
    }

    /** Whether any condition looks at {@code source}. */
    public boolean uses(Source source) {
        return bucketConditions.stream().anyMatch(c -> c.source() == source)
                || objectConditions.stream().anyMatch(c -> c.source() == source);
    }

    public Rule excluding() {
        return new Rule(text, true, bucket, bucketConditions, key, objectConditions);
    }

    @Override
    public String toString() {
        return (exclude && !text.startsWith("!") ? "!" : "") + text;
    }
}
