package io.s3d.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A list of filters: an object is selected when it matches one of the including rules (or there
 * are none) and none of the excluding ones. The empty set selects everything.
 */
public record RuleSet(List<Rule> rules) {
    public static final RuleSet ALL = new RuleSet(List.of());

    public RuleSet {
        rules = List.copyOf(rules);
    }

    public boolean selects(ObjectFacts facts) {
        boolean anyInclude = false;
        boolean included = false;
        for (Rule r : rules) {
            if (!r.exclude()) {
                anyInclude = true;
                included = included || r.matches(facts);
            }
        }
        if (anyInclude && !included) {
            return false;
        }
        for (Rule r : rules) {
            if (r.exclude() && r.matches(facts)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether any rule looks at {@code source}: a caller then gathers that fact before asking. */
    public boolean uses(Source source) {
        return rules.stream().anyMatch(r -> r.uses(source));
    }

    /** This set and {@code other}'s rules, as one list. */
    public RuleSet and(RuleSet other) {
        List<Rule> all = new ArrayList<>(rules);
        all.addAll(other.rules);
        return new RuleSet(all);
    }

    /** The same rules, all excluding (the rules of an {@code exclude:} list). */
    public RuleSet excluding() {
        return new RuleSet(rules.stream().map(Rule::excluding).toList());
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "(everything)"
                : Stream.of(rules.toArray()).map(String::valueOf).collect(Collectors.joining(", "));
    }
}
