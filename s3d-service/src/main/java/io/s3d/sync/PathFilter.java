package io.s3d.sync;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The include and exclude globs of a folder, matched against relative paths ({@code /}-separated).
 * As in rclone and gitignore, a glob without {@code /} matches the file name at any depth
 * ({@code *.md}); a glob with {@code /} matches the whole path from the folder root
 * ({@code img/**}, a leading {@code /} is dropped). {@code *} and {@code ?} stay within one path
 * segment, {@code **} crosses segments, {@code [abc]} is a character class.
 */
final class PathFilter {
    static final PathFilter ALL = new PathFilter(List.of(), List.of(), path -> true);

    private final List<Glob> include;
    private final List<Glob> exclude;
    private final java.util.function.Predicate<String> rules;

    private PathFilter(List<Glob> include, List<Glob> exclude, java.util.function.Predicate<String> rules) {
        this.include = include;
        this.exclude = exclude;
        this.rules = rules;
    }

    static PathFilter of(List<String> include, List<String> exclude) {
        return of(include, exclude, path -> true);
    }

    /** The globs and, after them, {@code rules}: the folder's filters (see {@link SyncFolder#from}). */
    static PathFilter of(List<String> include, List<String> exclude, java.util.function.Predicate<String> rules) {
        return new PathFilter(compile(include), compile(exclude), rules);
    }

    /**
     * Whether the path is synced: it matches an include glob (or there are none), no exclude glob,
     * and the folder's filter rules select its key.
     */
    boolean accepts(String relativePath) {
        if (!include.isEmpty() && include.stream().noneMatch(g -> g.matches(relativePath))) {
            return false;
        }
        return exclude.stream().noneMatch(g -> g.matches(relativePath)) && rules.test(relativePath);
    }

    private static List<Glob> compile(List<String> globs) {
        return globs.stream().map(String::trim).filter(g -> !g.isEmpty()).map(Glob::new).toList();
    }

    private record Glob(Pattern pattern, boolean nameOnly) {
        Glob(String glob) {
            this(Pattern.compile(regex(glob.startsWith("/") ? glob.substring(1) : glob)), !glob.contains("/"));
        }

        boolean matches(String path) {
            String subject = nameOnly ? path.substring(path.lastIndexOf('/') + 1) : path;
            return pattern.matcher(subject).matches();
        }

        static String regex(String glob) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
                        i++;
                        out.append("(?:.*/)?"); // "**/" also matches no directory at all
                    } else {
                        out.append(".*");
                    }
                } else if (c == '*') {
                    out.append("[^/]*");
                } else if (c == '?') {
                    out.append("[^/]");
                } else if (c == '[') {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        out.append("\\[");
                    } else {
                        String body = glob.substring(i + 1, end).replace("\\", "\\\\");
                        out.append('[').append(body.startsWith("!") ? "^" + body.substring(1) : body).append(']');
                        i = end;
                    }
                } else {
                    out.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return out.toString();
        }
    }
}
