package io.s3d.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The original s3d's one sync folder, configured by environment variables, as the folder named
 * {@code default}: {@code S3D_SYNC_FOLDER=<bucket>[/<prefix>]} (what to sync),
 * {@code S3D_SYNC_FOLDER_DIR} (its {@code local-dir}), {@code S3D_SYNC_FOLDER_MAX_SIZE}
 * ({@code max-file-size}), {@code S3D_SYNC_FOLDER_MAX_FILES} ({@code max-files-per-pass}),
 * {@code S3D_SYNC_FOLDER_MAX_AGE} ({@code interval}). Its ordinal sits above
 * {@code application.properties} and below environment variables, so the native
 * {@code s3d.sync.folders."default".*} keys still win.
 */
public final class SeedSyncFolderConfigSourceFactory implements ConfigSourceFactory {
    static final String FOLDER = "s3d.sync.folders.\"default\".";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String what = value(context, "S3D_SYNC_FOLDER");
        if (what == null || what.equalsIgnoreCase("false")) {
            return List.of();
        }
        if (what.equalsIgnoreCase("true") || what.startsWith("/")) {
            throw new IllegalStateException("S3D_SYNC_FOLDER must name what to sync as <bucket>[/<prefix>] "
                    + "(with S3D_SYNC_FOLDER_DIR the local directory), not '" + what + "'");
        }
        Map<String, String> keys = new HashMap<>();
        int slash = what.indexOf('/');
        keys.put(FOLDER + "bucket", slash < 0 ? what : what.substring(0, slash));
        if (slash >= 0 && slash + 1 < what.length()) {
            keys.put(FOLDER + "prefix", what.substring(slash + 1));
        }
        put(keys, context, "S3D_SYNC_FOLDER_DIR", "local-dir");
        put(keys, context, "S3D_SYNC_FOLDER_MAX_SIZE", "max-file-size");
        put(keys, context, "S3D_SYNC_FOLDER_MAX_FILES", "max-files-per-pass");
        put(keys, context, "S3D_SYNC_FOLDER_MAX_AGE", "interval");
        return List.of(new MapBackedConfigSource("S3D_SYNC_FOLDER (seed variables)", keys, 275) {
        });
    }

    private static void put(Map<String, String> keys, ConfigSourceContext context, String variable, String key) {
        String v = value(context, variable);
        if (v != null) {
            keys.put(FOLDER + key, v);
        }
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        String s = v == null || v.getValue() == null ? System.getenv(name) : v.getValue();
        return s == null || s.isBlank() ? null : s.trim();
    }
}
