package io.s3d.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.s3d.config.S3dConfig;
import io.s3d.filter.FilterFile;
import io.s3d.filter.FilterFileWatcher;
import io.s3d.filter.FilterParser;
import io.s3d.filter.Filters;
import io.s3d.filter.PolicyDecider;
import io.s3d.filter.Purpose;
import io.s3d.filter.RuleSet;
import io.s3d.filter.opa.OpaDecider;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Builds the filter policy from configuration: the rules of each purpose's setting, the filter
 * file (watched for changes) and Open Policy Agent. A rule or file that does not parse stops
 * start-up, naming the key.
 */
@Singleton
public class FilterWiring {
    private static final Logger LOG = Logger.getLogger(FilterWiring.class);

    private FilterFileWatcher watcher;
    private OpaDecider opaDecider;

    @Produces
    @Singleton
    Filters filters(S3dConfig config, MeterRegistry registry) {
        Map<Purpose, RuleSet> settings = new EnumMap<>(Purpose.class);
        settings.put(Purpose.UPLOAD, parse(config.writeQueue().filter(), "s3d.write-queue.filter (S3D_WRITE_QUEUE_FILTER)"));
        settings.put(Purpose.CACHE, parse(config.readCache().filter(), "s3d.read-cache.filter (S3D_READ_CACHE_FILTER)"));
        settings.put(Purpose.SYNC, parse(config.sync().filter(),
                "s3d.sync.filter (S3D_SYNC_FILTER, or S3D_SYNC_FOLDER_FILTER)"));
        S3dConfig.Filter f = config.filter();
        FilterFile file = FilterFile.EMPTY;
        Optional<Path> path = f.file().map(String::trim).filter(s -> !s.isEmpty()).map(GatewayWiring::expandHome);
        byte[] content = null;
        if (path.isPresent()) {
            content = FilterFileWatcher.readAtStartup(path.get());
            try {
                file = FilterFile.parse(new String(content, StandardCharsets.UTF_8), path.get().toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("s3d.filter.file (S3D_FILTER_FILE): " + e.getMessage(), e);
            }
        }
        Optional<PolicyDecider> opa = Optional.empty();
        Optional<String> url = f.opaUrl().map(String::trim).filter(s -> !s.isEmpty());
        if (url.isPresent()) {
            opaDecider = OpaDecider.create(url.get(), f, registry);
            opa = Optional.of(opaDecider);
        }
        Filters filters = new Filters(settings, file, opa);
        if (path.isPresent()) {
            watcher = new FilterFileWatcher(path.get(), content, filters, registry);
            watcher.start(f.reloadInterval());
            LOG.infof("filter file %s: %s (checked for changes every %s)", path.get(), describe(file),
                    f.reloadInterval());
        }
        return filters;
    }

    @Produces
    @Singleton
    io.s3d.filter.opa.AccessCheck accessCheck(S3dConfig config, Filters filters) {
        if (!config.filter().opaAuthorize()) {
            return io.s3d.filter.opa.AccessCheck.OFF;
        }
        if (opaDecider == null) {
            throw new IllegalStateException("s3d.filter.opa-authorize (S3D_FILTER_OPA_AUTHORIZE) is true, but "
                    + "s3d.filter.opa-url (S3D_OPA_URL) is not set: there is no policy to ask");
        }
        LOG.infof("every S3 request is authorized by OPA at %s", config.filter().opaUrl().orElse(""));
        return new io.s3d.filter.opa.AccessCheck(Optional.of(opaDecider), filters::withBucketTags);
    }

    private static String describe(FilterFile file) {
        return file.sections().isEmpty() ? "no rules" : file.sections().keySet().toString();
    }

    private static RuleSet parse(Optional<String> text, String key) {
        try {
            return FilterParser.parseList(text.orElse(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (watcher != null) {
            watcher.close();
        }
    }
}
