package io.s3d.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The original s3d's variable names, as s3d reads them: application.properties plus the seed folder source. */
class SeedAliasesTest {

    private static SmallRyeConfig config(Map<String, String> env) throws IOException {
        URL properties = SeedAliasesTest.class.getClassLoader().getResource("application.properties");
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, 250))
                .withSources(new MapBackedConfigSource("env", env, 300) {
                })
                .withSources(new SeedSyncFolderConfigSourceFactory())
                .build();
    }

    private static Optional<String> get(SmallRyeConfig c, String key) {
        return c.getOptionalValue(key, String.class);
    }

    @Test
    void fuseAndSyncFilterAliases() throws IOException {
        SmallRyeConfig c = config(Map.of("S3D_FUSE_MOUNT", "true", "S3D_FUSE_MOUNT_DIR", "/mnt/edge",
                "S3D_SYNC_FOLDER_FILTER", "docs/*"));
        assertThat(get(c, "s3d.fuse.enabled")).contains("true");
        assertThat(get(c, "s3d.fuse.mount-point")).contains("/mnt/edge");
        assertThat(get(c, "s3d.sync.filter")).contains("docs/*");

        SmallRyeConfig none = config(Map.of());
        assertThat(get(none, "s3d.fuse.enabled")).contains("false");
        assertThat(get(none, "s3d.fuse.mount-point")).contains("/mnt/s3d");
        assertThat(get(none, "s3d.sync.filter")).isEmpty();
    }

    @Test
    void theNativeNamesWin() throws IOException {
        SmallRyeConfig c = config(Map.of("S3D_FUSE", "false", "S3D_FUSE_MOUNT", "true",
                "s3d.fuse.mount-point", "/native", "S3D_FUSE_MOUNT_DIR", "/seed"));
        assertThat(get(c, "s3d.fuse.enabled")).contains("false");
        assertThat(get(c, "s3d.fuse.mount-point")).contains("/native");
    }

    @Test
    void theSeedsSyncFolderIsTheFolderNamedDefault() throws IOException {
        SmallRyeConfig c = config(Map.of("S3D_SYNC_FOLDER", "docs/team", "S3D_SYNC_FOLDER_DIR", "/data/docs",
                "S3D_SYNC_FOLDER_MAX_SIZE", "5G", "S3D_SYNC_FOLDER_MAX_FILES", "500", "S3D_SYNC_FOLDER_MAX_AGE", "30s"));
        String f = "s3d.sync.folders.\"default\".";
        assertThat(get(c, f + "bucket")).contains("docs");
        assertThat(get(c, f + "prefix")).contains("team");
        assertThat(get(c, f + "local-dir")).contains("/data/docs");
        assertThat(get(c, f + "max-file-size")).contains("5G");
        assertThat(get(c, f + "max-files-per-pass")).contains("500");
        assertThat(get(c, f + "interval")).contains("30s");

        assertThat(get(config(Map.of("S3D_SYNC_FOLDER", "false")), f + "bucket")).isEmpty();
        assertThat(get(config(Map.of()), f + "bucket")).isEmpty();
        assertThatThrownBy(() -> config(Map.of("S3D_SYNC_FOLDER", "true")))
                .hasMessageContaining("S3D_SYNC_FOLDER must name what to sync as <bucket>[/<prefix>]");
    }
}
