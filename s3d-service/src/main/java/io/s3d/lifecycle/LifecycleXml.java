package io.s3d.lifecycle;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Reads a {@code <LifecycleConfiguration>} with S3's validation (the error codes and messages AWS
 * answers PutBucketLifecycleConfiguration with) and writes it back as GetBucketLifecycleConfiguration
 * answers. The stored form is the written one, so a rule without an ID keeps the ID made for it.
 */
public final class LifecycleXml {
    static final String ROOT = "LifecycleConfiguration";
    public static final int MAX_RULES = 1000;
    private static final int MAX_ID_LENGTH = 255;
    private static final Set<String> RULE_ELEMENTS = Set.of("ID", "Prefix", "Filter", "Status", "Expiration",
            "Transition", "NoncurrentVersionTransition", "NoncurrentVersionExpiration",
            "AbortIncompleteMultipartUpload");
    private static final Set<String> FILTER_ELEMENTS = Set.of("Prefix", "Tag", "ObjectSizeGreaterThan",
            "ObjectSizeLessThan", "And");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private LifecycleXml() {
    }

    /** Parses and validates a PutBucketLifecycleConfiguration body; throws the S3 error AWS would answer. */
    public static List<LifecycleRule> parse(byte[] body) {
        Element root = XmlRequest.parse(body, ROOT).root();
        List<Element> ruleElements = XmlRequest.children(root, "Rule");
        if (ruleElements.isEmpty() || XmlRequest.children(root).size() != ruleElements.size()) {
            throw malformed();
        }
        if (ruleElements.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The number of lifecycle rules must not exceed the "
                    + "allowed limit of " + MAX_RULES + " rules");
        }
        List<LifecycleRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element element : ruleElements) {
            LifecycleRule rule = rule(element);
            if (!ids.add(rule.id())) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "Rule ID must be unique. Found same ID for more than one rule")
                        .withElements(Map.of("ArgumentName", "ID", "ArgumentValue", rule.id()));
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private static LifecycleRule rule(Element rule) {
        for (Element child : XmlRequest.children(rule)) {
            if (!RULE_ELEMENTS.contains(child.getLocalName())) {
                throw malformed();
            }
        }
        String id = single(rule, "ID");
        if (id == null || id.isEmpty()) {
            // AWS makes up an ID for a rule without one, and lists it from then on.
            id = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
        } else if (id.length() > MAX_ID_LENGTH) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "ID length should not exceed allowed limit of "
                    + MAX_ID_LENGTH).withElements(Map.of("ArgumentName", "ID", "ArgumentValue", id));
        }
        String status = single(rule, "Status");
        if (!"Enabled".equals(status) && !"Disabled".equals(status)) {
            throw malformed();
        }
        if (!XmlRequest.children(rule, "Transition").isEmpty()
                || !XmlRequest.children(rule, "NoncurrentVersionTransition").isEmpty()) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "s3d has one storage class (STANDARD), so it cannot "
                    + "transition objects: remove the Transition and NoncurrentVersionTransition actions from rule '"
                    + id + "'.");
        }
        String legacyPrefix = single(rule, "Prefix");
        Element filterElement = singleElement(rule, "Filter");
        if ((legacyPrefix == null) == (filterElement == null)) {
            throw malformed(); // exactly one of the two
        }
        LifecycleRule.Filter filter = filterElement == null
                ? new LifecycleRule.Filter(legacyPrefix, Map.of(), OptionalLong.empty(), OptionalLong.empty(), false,
                        true)
                : filter(filterElement);
        Optional<LifecycleRule.Expiration> expiration = Optional.ofNullable(singleElement(rule, "Expiration"))
                .map(e -> expiration(e, filter));
        Optional<LifecycleRule.NoncurrentExpiration> noncurrent = Optional
                .ofNullable(singleElement(rule, "NoncurrentVersionExpiration")).map(LifecycleXml::noncurrent);
        OptionalInt abort = OptionalInt.empty();
        Element abortElement = singleElement(rule, "AbortIncompleteMultipartUpload");
        if (abortElement != null) {
            abort = OptionalInt.of(positive(abortElement, "DaysAfterInitiation", "AbortIncompleteMultipartUpload"));
            if (!filter.tags().isEmpty()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "AbortIncompleteMultipartUpload cannot be specified with Tags.");
            }
            if (filter.hasSize()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "AbortIncompleteMultipartUpload cannot be specified with Object Size.");
            }
        }
        if (expiration.isEmpty() && noncurrent.isEmpty() && abort.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "At least one action needs to be specified in a rule");
        }
        return new LifecycleRule(id, status.equals("Enabled"), filter, legacyPrefix != null, expiration, noncurrent,
                abort);
    }

    private static LifecycleRule.Filter filter(Element filter) {
        List<Element> children = XmlRequest.children(filter);
        if (children.size() > 1) {
            throw malformed(); // Prefix, Tag, a size bound or And: one predicate, several only inside And
        }
        if (children.isEmpty()) {
            return LifecycleRule.Filter.ALL;
        }
        Element only = children.get(0);
        if (!FILTER_ELEMENTS.contains(only.getLocalName())) {
            throw malformed();
        }
        if (only.getLocalName().equals("And")) {
            return predicates(only, true);
        }
        return predicates(filter, false);
    }

    /** The predicates directly under {@code parent} (a Filter with one, or an And with several). */
    private static LifecycleRule.Filter predicates(Element parent, boolean and) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Element child : XmlRequest.children(parent)) {
            String name = child.getLocalName();
            if (!FILTER_ELEMENTS.contains(name) || name.equals("And")) {
                throw malformed();
            }
            if (name.equals("Tag")) {
                String key = single(child, "Key");
                String value = single(child, "Value");
                if (key == null || value == null || XmlRequest.children(child).size() != 2) {
                    throw malformed();
                }
                if (tags.put(key, value) != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Duplicate Tag Keys are not allowed.");
                }
            }
        }
        String prefix = single(parent, "Prefix");
        OptionalLong greater = size(parent, "ObjectSizeGreaterThan");
        OptionalLong less = size(parent, "ObjectSizeLessThan");
        if (greater.isPresent() && less.isPresent() && greater.getAsLong() >= less.getAsLong()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "ObjectSizeGreaterThan must be less than ObjectSizeLessThan")
                    .withElements(Map.of("ArgumentName", "ObjectSizeGreaterThan", "ArgumentValue",
                            Long.toString(greater.getAsLong())));
        }
        return new LifecycleRule.Filter(prefix == null ? "" : prefix, java.util.Collections.unmodifiableMap(tags),
                greater, less, and,
                prefix != null);
    }

    private static OptionalLong size(Element parent, String name) {
        String text = single(parent, name);
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, name + " must be a non-negative integer")
                        .withElements(Map.of("ArgumentName", name, "ArgumentValue", text));
            }
            return OptionalLong.of(value);
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    private static LifecycleRule.Expiration expiration(Element expiration, LifecycleRule.Filter filter) {
        List<Element> children = XmlRequest.children(expiration);
        if (children.size() != 1) {
            throw malformed(); // Days, Date and ExpiredObjectDeleteMarker exclude one another
        }
        String name = children.get(0).getLocalName();
        String text = children.get(0).getTextContent().trim();
        return switch (name) {
            case "Days" -> new LifecycleRule.Expiration(OptionalInt.of(positive(expiration, "Days", "Expiration")),
                    Optional.empty(), Optional.empty());
            case "Date" -> new LifecycleRule.Expiration(OptionalInt.empty(), Optional.of(date(text)),
                    Optional.empty());
            case "ExpiredObjectDeleteMarker" -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw malformed();
                }
                if (!filter.tags().isEmpty()) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "ExpiredObjectDeleteMarker cannot be specified with Tags.");
                }
                yield new LifecycleRule.Expiration(OptionalInt.empty(), Optional.empty(),
                        Optional.of(Boolean.valueOf(text)));
            }
            default -> throw malformed();
        };
    }

    private static Instant date(String text) {
        Instant date;
        try {
            date = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                date = java.time.LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                throw malformed();
            }
        }
        if (!LifecycleDates.isMidnight(date)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "'Date' must be at midnight GMT")
                    .withElements(Map.of("ArgumentName", "Date", "ArgumentValue", text));
        }
        return date;
    }

    private static LifecycleRule.NoncurrentExpiration noncurrent(Element element) {
        for (Element child : XmlRequest.children(element)) {
            if (!Set.of("NoncurrentDays", "NewerNoncurrentVersions").contains(child.getLocalName())) {
                throw malformed();
            }
        }
        int days = positive(element, "NoncurrentDays", "NoncurrentVersionExpiration");
        OptionalInt newer = OptionalInt.empty();
        String newerText = single(element, "NewerNoncurrentVersions");
        if (newerText != null) {
            int value = integer(newerText);
            if (value < 1 || value > 100) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer "
                                + "between 1 and 100").withElements(Map.of("ArgumentName", "NewerNoncurrentVersions",
                                        "ArgumentValue", newerText));
            }
            newer = OptionalInt.of(value);
        }
        return new LifecycleRule.NoncurrentExpiration(days, newer);
    }

    /** A required day count: absent or not a number is MalformedXML, zero or less InvalidArgument. */
    private static int positive(Element parent, String name, String action) {
        String text = single(parent, name);
        if (text == null) {
            throw malformed();
        }
        int value = integer(text);
        if (value <= 0) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "'" + name + "' for " + action + " action must be a positive integer")
                    .withElements(Map.of("ArgumentName", name, "ArgumentValue", text));
        }
        return value;
    }

    private static int integer(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    /** The text of the one child of that name (null when absent); more than one is MalformedXML. */
    private static String single(Element parent, String name) {
        Element element = singleElement(parent, name);
        return element == null ? null : element.getTextContent();
    }

    private static Element singleElement(Element parent, String name) {
        List<Element> found = XmlRequest.children(parent, name);
        if (found.size() > 1) {
            throw malformed();
        }
        return found.isEmpty() ? null : found.get(0);
    }


    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_XML);
    }

    /** The configuration as GetBucketLifecycleConfiguration answers it (and as it is stored). */
    public static byte[] render(List<LifecycleRule> rules) {
        XmlWriter xml = XmlWriter.document(ROOT);
        for (LifecycleRule rule : rules) {
            xml.start("Rule").element("ID", rule.id());
            LifecycleRule.Filter filter = rule.filter();
            if (rule.legacyPrefix()) {
                xml.element("Prefix", filter.prefix());
            } else {
                xml.start("Filter");
                if (filter.andForm()) {
                    xml.start("And");
                    predicates(xml, filter);
                    xml.end("And");
                } else {
                    predicates(xml, filter);
                }
                xml.end("Filter");
            }
            xml.element("Status", rule.enabled() ? "Enabled" : "Disabled");
            rule.expiration().ifPresent(e -> {
                xml.start("Expiration");
                e.date().ifPresent(date -> xml.element("Date", DATE.format(date)));
                e.days().ifPresent(days -> xml.element("Days", days));
                e.expiredObjectDeleteMarker().ifPresent(marker -> xml.element("ExpiredObjectDeleteMarker", marker));
                xml.end("Expiration");
            });
            rule.noncurrent().ifPresent(n -> {
                xml.start("NoncurrentVersionExpiration").element("NoncurrentDays", n.noncurrentDays());
                n.newerNoncurrentVersions().ifPresent(v -> xml.element("NewerNoncurrentVersions", v));
                xml.end("NoncurrentVersionExpiration");
            });
            rule.abortAfterDays().ifPresent(days -> xml.start("AbortIncompleteMultipartUpload")
                    .element("DaysAfterInitiation", days).end("AbortIncompleteMultipartUpload"));
            xml.end("Rule");
        }
        return xml.finish(ROOT);
    }

    private static void predicates(XmlWriter xml, LifecycleRule.Filter filter) {
        if (filter.prefixGiven()) {
            xml.element("Prefix", filter.prefix());
        }
        filter.tags().forEach((key, value) -> xml.start("Tag").element("Key", key).element("Value", value).end("Tag"));
        filter.sizeGreaterThan().ifPresent(size -> xml.element("ObjectSizeGreaterThan", size));
        filter.sizeLessThan().ifPresent(size -> xml.element("ObjectSizeLessThan", size));
    }
}
