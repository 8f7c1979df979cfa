package io.s3d.backend;

/** ETag comparison as HTTP conditional headers use it: a list of quoted tags, {@code *}, or weak tags. */
public final class Etags {
    private Etags() {
    }

    /** True when the header value (e.g. {@code "abc", "def"} or {@code *}) names the given unquoted ETag. */
    public static boolean matches(String headerValue, String etag) {
        for (String candidate : headerValue.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
