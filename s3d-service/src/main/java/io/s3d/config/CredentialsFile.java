package io.s3d.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A file of client credentials in the AWS {@code credentials} format ({@code [section]},
 * {@code aws_access_key_id = ...}, {@code aws_secret_access_key = ...}). A file that yields no
 * pair is an error, never "no authentication": an empty file or a typo must not open s3d up.
 */
public final class CredentialsFile {
    private static final String KEY = "s3d.credentials-file (S3D_CREDENTIALS_FILE)";

    private CredentialsFile() {
    }

    /**
     * The pairs of {@code file}, access key id to secret, at least one.
     *
     * @throws IllegalStateException naming the key and the file when it cannot be read, is malformed
     *     or holds no complete pair
     */
    public static Map<String, String> read(Path file) {
        return parse(file, false);
    }

    /**
     * The section name of each pair of {@code file}, access key id to name ({@code [alice]} names
     * its pair {@code alice}; a pair before any section is named by its key id): who the pair is
     * in ACLs and {@code <Owner><DisplayName>}.
     */
    public static Map<String, String> sectionNames(Path file) {
        return parse(file, true);
    }

    private static Map<String, String> parse(Path file, boolean names) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException(KEY + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        Set<String> unknownNames = new LinkedHashSet<>();
        String section = null;
        String id = null;
        String secret = null;
        int lineNumber = 0;
        for (String raw : lines) {
            lineNumber++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                addPair(pairs, file, section, id, secret, names);
                section = line.substring(1, line.length() - 1).trim();
                id = null;
                secret = null;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalStateException(KEY + ": " + file + " line " + lineNumber
                        + " is neither a [section] nor a key = value line");
            }
            String name = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (name.equals("aws_access_key_id")) {
                id = value;
            } else if (name.equals("aws_secret_access_key")) {
                secret = value;
            } else {
                unknownNames.add(name);
            }
        }
        addPair(pairs, file, section, id, secret, names);
        if (pairs.isEmpty()) {
            throw new IllegalStateException(KEY + ": " + file + " holds no credentials: "
                    + (unknownNames.isEmpty() ? "it has no aws_access_key_id / aws_secret_access_key lines"
                            : "no aws_access_key_id / aws_secret_access_key lines, only " + unknownNames
                                    + " (a typo?)")
                    + ". s3d will not start without authentication when credentials were asked for.");
        }
        return pairs;
    }

    private static void addPair(Map<String, String> pairs, Path file, String section, String id, String secret,
            boolean names) {
        if (id == null && secret == null) {
            return;
        }
        if (id == null || secret == null || id.isEmpty() || secret.isEmpty()) {
            throw new IllegalStateException(KEY + ": section [" + section + "] of " + file
                    + " needs both aws_access_key_id and aws_secret_access_key, not empty");
        }
        pairs.put(id, names ? (section == null || section.isEmpty() ? id : section) : secret);
    }
}
