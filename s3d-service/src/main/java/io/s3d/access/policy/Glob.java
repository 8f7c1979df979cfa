package io.s3d.access.policy;

import java.util.regex.Pattern;

/** An IAM wildcard pattern: {@code *} matches any run of characters (also none), {@code ?} any one character. */
record Glob(String text, Pattern pattern) {
    static Glob of(String text, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return new Glob(text, Pattern.compile(regex.toString(),
                Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)));
    }

    boolean matches(String value) {
        return pattern.matcher(value).matches();
    }

    boolean hasWildcard() {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
    }
}
