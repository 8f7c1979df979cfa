package io.s3d.access.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A condition operator as written in a policy, e.g. {@code ForAnyValue:StringNotLikeIfExists}: its
 * comparison, whether it is negated, {@code ...IfExists}, and the set qualifier.
 */
record ConditionOperator(String name, Comparison comparison, boolean negated, boolean ifExists,
        SetQualifier qualifier) {
    enum SetQualifier {
        NONE, FOR_ANY_VALUE, FOR_ALL_VALUES
    }

    /** The positive form of each operator: how a request value compares with a policy value. */
    enum Comparison {
        STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE, NUMERIC_EQUALS, NUMERIC_LESS_THAN,
        NUMERIC_LESS_THAN_EQUALS, NUMERIC_GREATER_THAN, NUMERIC_GREATER_THAN_EQUALS, DATE_EQUALS, DATE_LESS_THAN,
        DATE_LESS_THAN_EQUALS, DATE_GREATER_THAN, DATE_GREATER_THAN_EQUALS, BOOL, IP_ADDRESS, NULL;

        boolean numeric() {
            return name().startsWith("NUMERIC");
        }

        boolean date() {
            return name().startsWith("DATE");
        }

        /** Whether the request's {@code actual} value compares as the policy's {@code expected} asks. */
        boolean test(String actual, String expected) {
            return switch (this) {
                case STRING_EQUALS -> actual.equals(expected);
                case STRING_EQUALS_IGNORE_CASE -> actual.equalsIgnoreCase(expected);
                case STRING_LIKE -> Glob.of(expected, false).matches(actual);
                case BOOL -> actual.equalsIgnoreCase(expected);
                case IP_ADDRESS -> IpRange.parse(expected).map(range -> range.contains(actual)).orElse(false);
                case NULL -> throw new IllegalStateException("Null tests presence, not a value");
                default -> {
                    Optional<Integer> order = numeric() ? compareNumbers(actual, expected)
                            : compareDates(actual, expected);
                    yield order.isPresent() && switch (this) {
                        case NUMERIC_EQUALS, DATE_EQUALS -> order.get() == 0;
                        case NUMERIC_LESS_THAN, DATE_LESS_THAN -> order.get() < 0;
                        case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> order.get() <= 0;
                        case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> order.get() > 0;
                        default -> order.get() >= 0;
                    };
                }
            };
        }
    }

    private static Optional<Integer> compareNumbers(String actual, String expected) {
        Optional<BigDecimal> a = number(actual);
        Optional<BigDecimal> b = number(expected);
        return a.isPresent() && b.isPresent() ? Optional.of(a.get().compareTo(b.get())) : Optional.empty();
    }

    private static Optional<Integer> compareDates(String actual, String expected) {
        Optional<Instant> a = date(actual);
        Optional<Instant> b = date(expected);
        return a.isPresent() && b.isPresent() ? Optional.of(a.get().compareTo(b.get())) : Optional.empty();
    }

    static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** An ISO 8601 date or date-time (UTC unless it says otherwise), or seconds since the epoch. */
    static Optional<Instant> date(String text) {
        String value = text.trim();
        if (value.matches("-?\\d+")) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            // not with an offset; try the forms without one
        }
        try {
            return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // not a local date-time either
        }
        try {
            return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The operator {@code name} spells, empty when s3d does not evaluate it. */
    static Optional<ConditionOperator> parse(String name) {
        String rest = name;
        SetQualifier qualifier = SetQualifier.NONE;
        if (rest.startsWith("ForAnyValue:")) {
            qualifier = SetQualifier.FOR_ANY_VALUE;
            rest = rest.substring("ForAnyValue:".length());
        } else if (rest.startsWith("ForAllValues:")) {
            qualifier = SetQualifier.FOR_ALL_VALUES;
            rest = rest.substring("ForAllValues:".length());
        }
        boolean ifExists = rest.endsWith("IfExists") && !rest.equals("NullIfExists");
        if (ifExists) {
            rest = rest.substring(0, rest.length() - "IfExists".length());
        }
        boolean negated = false;
        Comparison comparison;
        switch (rest) {
            case "StringEquals" -> comparison = Comparison.STRING_EQUALS;
            case "StringNotEquals" -> {
                comparison = Comparison.STRING_EQUALS;
                negated = true;
            }
            case "StringEqualsIgnoreCase" -> comparison = Comparison.STRING_EQUALS_IGNORE_CASE;
            case "StringNotEqualsIgnoreCase" -> {
                comparison = Comparison.STRING_EQUALS_IGNORE_CASE;
                negated = true;
            }
            case "StringLike" -> comparison = Comparison.STRING_LIKE;
            case "StringNotLike" -> {
                comparison = Comparison.STRING_LIKE;
                negated = true;
            }
            case "NumericEquals" -> comparison = Comparison.NUMERIC_EQUALS;
            case "NumericNotEquals" -> {
                comparison = Comparison.NUMERIC_EQUALS;
                negated = true;
            }
            case "NumericLessThan" -> comparison = Comparison.NUMERIC_LESS_THAN;
            case "NumericLessThanEquals" -> comparison = Comparison.NUMERIC_LESS_THAN_EQUALS;
            case "NumericGreaterThan" -> comparison = Comparison.NUMERIC_GREATER_THAN;
            case "NumericGreaterThanEquals" -> comparison = Comparison.NUMERIC_GREATER_THAN_EQUALS;
            case "DateEquals" -> comparison = Comparison.DATE_EQUALS;
            case "DateNotEquals" -> {
                comparison = Comparison.DATE_EQUALS;
                negated = true;
            }
            case "DateLessThan" -> comparison = Comparison.DATE_LESS_THAN;
            case "DateLessThanEquals" -> comparison = Comparison.DATE_LESS_THAN_EQUALS;
            case "DateGreaterThan" -> comparison = Comparison.DATE_GREATER_THAN;
            case "DateGreaterThanEquals" -> comparison = Comparison.DATE_GREATER_THAN_EQUALS;
            case "Bool" -> comparison = Comparison.BOOL;
            case "IpAddress" -> comparison = Comparison.IP_ADDRESS;
            case "NotIpAddress" -> {
                comparison = Comparison.IP_ADDRESS;
                negated = true;
            }
            case "Null" -> comparison = Comparison.NULL;
            default -> {
                return Optional.empty();
            }
        }
        if (comparison == Comparison.NULL && qualifier != SetQualifier.NONE) {
            return Optional.empty();
        }
        return Optional.of(new ConditionOperator(name, comparison, negated, ifExists, qualifier));
    }

    /** Whether {@code value} is a value this operator can compare with (checked when the policy is stored). */
    boolean accepts(String value) {
        return switch (comparison) {
            case BOOL, NULL -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            case IP_ADDRESS -> IpRange.parse(value).isPresent();
            default -> comparison.numeric() ? number(value).isPresent()
                    : !comparison.date() || date(value).isPresent();
        };
    }
}
