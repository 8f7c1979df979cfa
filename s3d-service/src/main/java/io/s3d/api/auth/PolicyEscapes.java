package io.s3d.api.auth;

/**
 * POST policy documents are JSON with two escapes JSON lacks: S3 lets a condition value write a
 * literal dollar sign as {@code \$} and a vertical tab as {@code \v} (its documented escapes are
 * {@code \\ \$ \b \f \n \r \t \v \}uxxxx). They are rewritten as {@code \}u escapes so that a JSON
 * parser reads the value S3 would.
 */
final class PolicyEscapes {
    private PolicyEscapes() {
    }

    static String toJson(String policy) {
        if (policy.indexOf('\\') < 0) {
            return policy;
        }
        StringBuilder out = new StringBuilder(policy.length() + 16);
        int i = 0;
        while (i < policy.length()) {
            char c = policy.charAt(i);
            if (c == '\\' && i + 1 < policy.length()) {
                char next = policy.charAt(i + 1);
                switch (next) {
                    case '$' -> out.append("\\u0024");
                    case 'v' -> out.append("\\u000b");
                    default -> out.append(c).append(next);
                }
                i += 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
