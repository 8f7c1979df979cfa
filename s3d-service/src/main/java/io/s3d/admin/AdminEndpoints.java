package io.s3d.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The admin API's endpoints as its resources declare them (path template and method), for the
 * answer to a request with the wrong method: Quarkus REST's 405 does not say which one is right.
 */
final class AdminEndpoints {
    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*\\w+\\s*(?::\\s*([^}]+))?}");
    private static final List<Map.Entry<Pattern, String>> ENDPOINTS = read(StatusResource.class,
            QueueResource.class, CacheResource.class);

    private AdminEndpoints() {
    }

    /** The methods {@code path} answers, comma-separated ("GET", "POST"). */
    static String allowed(String path) {
        return ENDPOINTS.stream().filter(e -> e.getKey().matcher(path).matches()).map(Map.Entry::getValue)
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
    }

    private static List<Map.Entry<Pattern, String>> read(Class<?>... resources) {
        List<Map.Entry<Pattern, String>> out = new ArrayList<>();
        for (Class<?> resource : resources) {
            String base = AdminAnswer.PREFIX + resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String verb = method.isAnnotationPresent(GET.class) ? "GET"
                        : method.isAnnotationPresent(POST.class) ? "POST" : null;
                if (verb != null) {
                    Path sub = method.getAnnotation(Path.class);
                    out.add(Map.entry(template(sub == null ? base : base + "/" + sub.value()), verb));
                }
            }
        }
        return out;
    }

    /** A JAX-RS path template as a pattern: {@code {name}} is one segment, {@code {name: regex}} the regex. */
    static Pattern template(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher m = PARAMETER.matcher(template);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(template.substring(at, m.start())))
                    .append(m.group(1) == null ? "[^/]+" : "(?:" + m.group(1).strip() + ")");
            at = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(at))).append("/?").toString());
    }
}
