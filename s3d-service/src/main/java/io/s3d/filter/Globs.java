package io.s3d.filter;

import java.util.regex.Pattern;

/** Globs of the filter language: {@code *} (and {@code ?}) as given regular expressions, the rest literal. */
final class Globs {
    private Globs() {
    }

    static Pattern compile(String glob, String star, String question) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || (c == '?' && question != null)) {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? star : question);
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
