package io.s3d.filter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The filter file ({@code s3d.filter.file}): named rule sets, one per section, in a small subset of
 * YAML (no YAML library is needed, and any YAML tool reads the file):
 *
 * <pre>
 * # comment
 * queue: logs, photos/raw/          # rules on the line, comma-separated ...
 * cache:
 *   - photos/*[hdr:content-type='image/*']   # ... or one per "- " line
 *   - "!photos/tmp/"                # an entry may be quoted as a whole
 * sync: docs                        # every sync folder
 * sync.reports: !*&#47;*.tmp        # the sync folder named "reports" only
 * exclude: "*&#47;*.tmp"            # excluded for every purpose
 * </pre>
 *
 * Sections: {@code queue} (alias {@code upload}), {@code cache}, {@code sync}, {@code sync.<folder>},
 * {@code exclude}. A section left out selects everything.
 */
public record FilterFile(Map<String, RuleSet> sections) {
    public static final FilterFile EMPTY = new FilterFile(Map.of());

    public FilterFile {
        sections = Map.copyOf(sections);
    }

    /** The rules of one purpose: its section, plus the {@code exclude} list. */
    public RuleSet rules(Purpose purpose) {
        return section(purpose.section());
    }

    /**
     * The rules of one sync folder's own section {@code sync.<folder>}, plus the {@code exclude}
     * list; the folder also needs {@link #rules(Purpose) rules(SYNC)} to select a key.
     */
    public RuleSet syncRules(String folder) {
        return section("sync." + folder);
    }

    private RuleSet section(String name) {
        return sections.getOrDefault(name, RuleSet.ALL).and(sections.getOrDefault("exclude", RuleSet.ALL).excluding());
    }

    /** Parses the file's text; {@code source} names the file in errors. */
    public static FilterFile parse(String text, String source) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        Map<String, Integer> entryLines = new LinkedHashMap<>();
        String current = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            String trimmed = line.trim();
            if (trimmed.startsWith("- ") || trimmed.equals("-")) {
                if (current == null) {
                    throw new FilterFileException(source, lineNo, "a section ('queue:', 'cache:', 'sync:', "
                            + "'sync.<folder>:', 'exclude:') before the first '- ' entry");
                }
                add(entries, entryLines, current, unquote(trimmed.substring(1).trim()), lineNo);
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                throw new FilterFileException(source, lineNo, "'<section>: rules' or '  - rule', not '" + trimmed + "'");
            }
            String name = trimmed.substring(0, colon).trim();
            current = canonical(name).orElseThrow(() -> new FilterFileException(source, lineNo, "a section named "
                    + "queue, upload, cache, sync, sync.<folder> or exclude, not '" + name + "'"));
            if (entries.containsKey(current)) {
                throw new FilterFileException(source, lineNo, "each section once; '" + name + "' came before");
            }
            entries.put(current, new ArrayList<>());
            String rest = trimmed.substring(colon + 1).trim();
            if (!rest.isEmpty()) {
                for (String part : FilterParser.split(rest)) {
                    add(entries, entryLines, current, unquote(part.trim()), lineNo);
                }
            }
        }
        Map<String, RuleSet> sections = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : entries.entrySet()) {
            List<Rule> rules = new ArrayList<>();
            for (String rule : e.getValue()) {
                if (rule.isBlank()) {
                    continue;
                }
                try {
                    rules.add(FilterParser.parse(rule));
                } catch (FilterSyntaxException syntax) {
                    throw new FilterFileException(source, entryLines.get(e.getKey() + "\n" + rule), syntax);
                }
            }
            sections.put(e.getKey(), new RuleSet(rules));
        }
        return new FilterFile(sections);
    }

    private static void add(Map<String, List<String>> entries, Map<String, Integer> lines, String section,
            String rule, int lineNo) {
        entries.get(section).add(rule);
        lines.putIfAbsent(section + "\n" + rule, lineNo);
    }

    private static Optional<String> canonical(String name) {
        if (name.equals("upload") || name.equals("queue")) {
            return Optional.of("queue");
        }
        if (name.equals("cache") || name.equals("sync") || name.equals("exclude")) {
            return Optional.of(name);
        }
        if (name.startsWith("sync.") && name.length() > 5) {
            return Optional.of(name);
        }
        return Optional.empty();
    }

    /** A {@code #} starts a comment where it starts a word, outside brackets and quotes. */
    private static String stripComment(String line) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth = Math.max(0, depth - 1);
            } else if (c == '#' && depth == 0 && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** A YAML-quoted entry: a rule never starts with a quote, so outer quotes are YAML's. */
    private static String unquote(String entry) {
        if (entry.length() >= 2 && (entry.charAt(0) == '"' || entry.charAt(0) == '\'')
                && entry.charAt(entry.length() - 1) == entry.charAt(0)) {
            String inner = entry.substring(1, entry.length() - 1);
            return entry.charAt(0) == '\'' ? inner.replace("''", "'") : inner.replace("\\\"", "\"");
        }
        return entry;
    }
}
