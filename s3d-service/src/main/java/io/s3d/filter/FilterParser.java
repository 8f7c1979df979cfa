package io.s3d.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses the filter language of the original s3d:
 *
 * <pre>
 * rules     := rule (',' rule)*                         a list is an OR; blank entries are skipped
 * rule      := ['!'] bucket cond* ['/' key cond*]       '!' excludes
 *            | cond+                                    any bucket, any key
 * bucket    := a bucket name or glob ('*' any characters but '/')
 * key       := a key prefix, or with '*' a glob of the whole key ('*' any characters, '/' too)
 * cond      := '[' ('tag'|'hdr'|'md') ':' name [op value] ']'
 * op        := '=' | '!=' | '<' | '<=' | '>' | '>='
 * value     := 'quoted glob' | "quoted glob" | unquoted literal (up to ']')
 * </pre>
 *
 * A {@code [tag:...]} right after the bucket matches the bucket's tags; after the key (or with no
 * bucket) the object's. {@code <}, {@code <=}, {@code >}, {@code >=} need a number or size
 * ({@code 100}, {@code 10MiB}). Errors name the filter, the column and what was expected.
 */
public final class FilterParser {
    private final String text;
    private int pos;

    private FilterParser(String text) {
        this.text = text;
    }

    /** A comma- or newline-separated list of rules. */
    public static RuleSet parseList(String text) {
        List<Rule> rules = new ArrayList<>();
        if (text != null) {
            for (String entry : split(text)) {
                if (!entry.isBlank()) {
                    rules.add(parse(entry.trim()));
                }
            }
        }
        return new RuleSet(rules);
    }

    /** One rule. */
    public static Rule parse(String text) {
        return new FilterParser(text).rule();
    }

    /** Splits at commas and line ends outside brackets and quotes. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (depth > 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            } else if ((c == ',' || c == '\n') && depth == 0) {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString());
        return out;
    }

    private Rule rule() {
        boolean exclude = false;
        if (peek() == '!') {
            exclude = true;
            pos++;
        }
        if (atEnd()) {
            throw error("a bucket name or pattern, or a [condition]");
        }
        String bucketText;
        List<Condition> bucketConditions = new ArrayList<>();
        List<Condition> objectConditions = new ArrayList<>();
        Pattern key = null;
        if (peek() == '[') {
            bucketText = "*";
            conditions(objectConditions, Source.OBJECT_TAG);
        } else {
            int start = pos;
            while (!atEnd() && peek() != '/' && peek() != '[') {
                char c = peek();
                if (Character.isWhitespace(c) || c == ']' || c == '\'' || c == '"') {
                    throw error("a bucket name character, '/' or '['");
                }
                pos++;
            }
            bucketText = text.substring(start, pos);
            if (bucketText.isEmpty()) {
                throw error("a bucket name or pattern before '/'");
            }
            // Only tags mean something else after the bucket: hdr and md always describe the object.
            List<Condition> afterBucket = new ArrayList<>();
            conditions(afterBucket, Source.BUCKET_TAG);
            for (Condition c : afterBucket) {
                (c.source() == Source.BUCKET_TAG ? bucketConditions : objectConditions).add(c);
            }
            if (!atEnd() && peek() == '/') {
                pos++;
                int keyStart = pos;
                while (!atEnd() && peek() != '[') {
                    if (peek() == ']') {
                        throw error("a key character or '[' (a ']' without its '[')");
                    }
                    pos++;
                }
                String keyText = text.substring(keyStart, pos);
                key = keyPattern(keyText);
                conditions(objectConditions, Source.OBJECT_TAG);
            }
        }
        if (!atEnd()) {
            throw error(key == null ? "'/', '[' or the end of the filter" : "'[' or the end of the filter");
        }
        return new Rule(text, exclude, Globs.compile(bucketText, "[^/]*", null), bucketConditions, key,
                objectConditions);
    }

    /** A key part without {@code *} is a prefix; with {@code *} it must match the whole key. */
    private static Pattern keyPattern(String keyText) {
        if (keyText.isEmpty()) {
            return null;
        }
        return keyText.contains("*") ? Globs.compile(keyText, ".*", null)
                : Pattern.compile(Pattern.quote(keyText) + ".*", Pattern.DOTALL);
    }

    private void conditions(List<Condition> into, Source tagSource) {
        while (!atEnd() && peek() == '[') {
            into.add(condition(tagSource));
        }
    }

    private Condition condition(Source tagSource) {
        pos++; // '['
        int start = pos;
        while (!atEnd() && peek() != ':' && peek() != ']') {
            pos++;
        }
        String prefix = text.substring(start, pos);
        Source source = switch (prefix) {
            case "tag" -> tagSource;
            case "hdr" -> Source.HEADER;
            case "md" -> Source.METADATA;
            default -> null;
        };
        if (source == null || atEnd() || peek() != ':') {
            pos = start;
            throw error("'tag:', 'hdr:' or 'md:' after '['");
        }
        pos++;
        int nameStart = pos;
        while (!atEnd() && "=!<>]".indexOf(peek()) < 0) {
            pos++;
        }
        String name = text.substring(nameStart, pos).trim();
        if (name.isEmpty()) {
            throw error("a " + (source == Source.HEADER ? "header" : source == Source.METADATA ? "metadata" : "tag")
                    + " name");
        }
        if (atEnd()) {
            throw error("an operator (=, !=, <, <=, >, >=) or ']'");
        }
        Comparison op = operator();
        Value value = null;
        if (op != Comparison.EXISTS) {
            int valueColumn = pos;
            value = value();
            if (op.ordering() && value.number().isEmpty()) {
                pos = valueColumn;
                throw error("a number or size (100, 10KiB, 5MB) after '" + op.symbol() + "'");
            }
        }
        if (atEnd() || peek() != ']') {
            throw error("']'");
        }
        pos++;
        return new Condition(source, name, op, value);
    }

    private Comparison operator() {
        char c = peek();
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : 0;
        switch (c) {
            case ']':
                return Comparison.EXISTS;
            case '=':
                pos++;
                return Comparison.EQ;
            case '!':
                if (next != '=') {
                    pos++;
                    throw error("'=' after '!'");
                }
                pos += 2;
                return Comparison.NE;
            case '<':
                pos += next == '=' ? 2 : 1;
                return next == '=' ? Comparison.LE : Comparison.LT;
            case '>':
                pos += next == '=' ? 2 : 1;
                return next == '=' ? Comparison.GE : Comparison.GT;
            default:
                throw error("an operator (=, !=, <, <=, >, >=) or ']'");
        }
    }

    private Value value() {
        if (!atEnd() && (peek() == '\'' || peek() == '"')) {
            char quote = peek();
            int open = pos;
            pos++;
            int start = pos;
            while (!atEnd() && peek() != quote) {
                pos++;
            }
            if (atEnd()) {
                pos = open;
                throw error("a closing " + quote + " for the quote opened here");
            }
            String v = text.substring(start, pos);
            pos++;
            return Value.of(v, true);
        }
        int start = pos;
        while (!atEnd() && peek() != ']') {
            pos++;
        }
        String v = text.substring(start, pos).trim();
        if (v.isEmpty()) {
            pos = start;
            throw error("a value (quote it to match the empty string: '')");
        }
        return Value.of(v, false);
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private FilterSyntaxException error(String expected) {
        return new FilterSyntaxException(text, pos + 1, expected);
    }
}
