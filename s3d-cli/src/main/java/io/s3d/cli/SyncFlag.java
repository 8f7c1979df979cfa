package io.s3d.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code s3d run --sync DIR=BUCKET[/PREFIX]}: each flag becomes the keys of one sync folder,
 * {@code s3d.sync.folders.<name>.local-dir|bucket|prefix}, named after the directory.
 */
final class SyncFlag {
    private SyncFlag() {
    }

    static Map<String, String> toProperties(List<String> flags, UnaryOperator<String> expandHome) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> used = new LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.lastIndexOf('=');
            if (eq <= 0 || eq == flag.length() - 1) {
                throw new CliException("--sync " + flag + ": expected DIR=BUCKET[/PREFIX], e.g. --sync ~/docs=team-docs/shared/");
            }
            Path dir = Path.of(expandHome.apply(flag.substring(0, eq))).toAbsolutePath().normalize();
            String target = flag.substring(eq + 1);
            if (target.startsWith("s3://")) {
                target = target.substring("s3://".length());
            }
            int slash = target.indexOf('/');
            String bucket = slash < 0 ? target : target.substring(0, slash);
            String prefix = slash < 0 ? "" : target.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new CliException("--sync " + flag + ": no bucket after '='");
            }
            String name = name(dir, used);
            String key = "s3d.sync.folders." + name + ".";
            out.put(key + "local-dir", dir.toString());
            out.put(key + "bucket", bucket);
            out.put(key + "prefix", prefix);
        }
        return out;
    }

    /** The directory's last segment in lower case, letters, digits and '-' only; -2, -3 ... when taken. */
    private static String name(Path dir, Map<String, Integer> used) {
        Path last = dir.getFileName();
        String base = last == null ? "root" : last.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                .replaceAll("^-+|-+$", "");
        if (base.isEmpty()) {
            base = "folder";
        }
        int n = used.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + "-" + n;
    }
}
