package io.s3d.cli;

/**
 * A {@code bucket[/key]} argument. An {@code s3://} prefix is accepted and ignored, so that
 * names copied from other tools work as they are.
 */
public record S3Location(String bucket, String key) {

    public static S3Location parse(String text) {
        if (text == null || text.isBlank()) {
            throw CliException.usage("expected bucket or bucket/key, got nothing");
        }
        String s = text.startsWith("s3://") ? text.substring(5) : text;
        int slash = s.indexOf('/');
        String bucket = slash < 0 ? s : s.substring(0, slash);
        String key = slash < 0 ? "" : s.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw CliException.usage("'" + text + "' names no bucket; expected bucket or bucket/key");
        }
        return new S3Location(bucket, key);
    }

    /** Parses and requires a non-empty key. */
    public static S3Location parseObject(String text) {
        S3Location loc = parse(text);
        if (loc.key.isEmpty()) {
            throw CliException.usage("'" + text + "' names no object; expected bucket/key");
        }
        return loc;
    }

    public boolean hasKey() {
        return !key.isEmpty();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (key.isEmpty() ? "" : "/" + key);
    }
}
