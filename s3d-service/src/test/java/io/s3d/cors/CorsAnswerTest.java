package io.s3d.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which rule allows a preflight or an actual request, and the headers S3 answers with. */
class CorsAnswerTest {
    private static final CorsRule APP = new CorsRule("app", List.of("https://app.example.com", "http://*.example.org"),
            List.of("GET", "PUT"), List.of("x-amz-*", "Content-Type"), List.of("ETag", "x-amz-version-id"),
            OptionalInt.of(3000));
    private static final CorsRule ANYONE_READS = new CorsRule(null, List.of("*"), List.of("GET", "HEAD"), List.of(),
            List.of(), OptionalInt.empty());
    private static final List<CorsRule> RULES = List.of(APP, ANYONE_READS);

    @Test
    void theFirstRuleAllowingOriginMethodAndEveryHeaderWins() {
        assertThat(CorsAnswer.preflight(RULES, "https://app.example.com", "PUT",
                List.of("x-amz-meta-a", "content-type"))).contains(APP);
        assertThat(CorsAnswer.preflight(RULES, "https://app.example.com", "GET", List.of())).contains(APP);
        assertThat(CorsAnswer.preflight(RULES, "https://other.example.com", "GET", List.of())).contains(ANYONE_READS);
        // the wildcard rule allows no requested header (it lists none)
        assertThat(CorsAnswer.preflight(RULES, "https://other.example.com", "GET", List.of("x-amz-date"))).isEmpty();
        assertThat(CorsAnswer.preflight(RULES, "https://other.example.com", "PUT", List.of())).isEmpty();
        assertThat(CorsAnswer.preflight(RULES, "https://app.example.com", "DELETE", List.of())).isEmpty();
        assertThat(CorsAnswer.preflight(RULES, "https://app.example.com", "PUT", List.of("authorization"))).isEmpty();
        assertThat(CorsAnswer.preflight(RULES, "https://app.example.com", "OPTIONS", List.of())).isEmpty();
    }

    @Test
    void originsMatchExactlyOrAroundTheirOneWildcard() {
        assertThat(APP.allowsOrigin("http://www.example.org")).isTrue();
        assertThat(APP.allowsOrigin("http://a.b.example.org")).isTrue();
        assertThat(APP.allowsOrigin("https://www.example.org")).isFalse();
        assertThat(APP.allowsOrigin("http://example.org")).isFalse();
        assertThat(APP.allowsOrigin("https://app.example.com:8443")).isFalse();
        assertThat(APP.allowsOrigin("https://app.example.co")).isFalse();
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        assertThat(APP.allowsHeaders(List.of("X-Amz-Meta-Color", "CONTENT-TYPE"))).isTrue();
        assertThat(APP.allowsHeaders(List.of("x-amz-"))).isTrue();
        assertThat(APP.allowsHeaders(List.of("x-ams-date"))).isFalse();
        assertThat(CorsAnswer.requestedHeaders(" x-amz-meta-a , Content-Type,")).containsExactly("x-amz-meta-a",
                "Content-Type");
        assertThat(CorsAnswer.requestedHeaders(null)).isEmpty();
    }

    @Test
    void actualRequestsAreJudgedByOriginAndMethodOnly() {
        assertThat(CorsAnswer.actual(RULES, "https://app.example.com", "PUT")).contains(APP);
        assertThat(CorsAnswer.actual(RULES, "https://evil.example.net", "HEAD")).contains(ANYONE_READS);
        assertThat(CorsAnswer.actual(RULES, "https://evil.example.net", "DELETE")).isEmpty();
    }

    @Test
    void aNamedOriginIsEchoedWithCredentialsAndTheWildcardIsAnsweredAsStar() {
        assertThat(CorsAnswer.headers(APP, "https://app.example.com", List.of("X-Amz-Meta-A", "content-type")))
                .containsExactly(Map.entry("Access-Control-Allow-Origin", "https://app.example.com"),
                        Map.entry("Access-Control-Allow-Credentials", "true"),
                        Map.entry("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
                        Map.entry("Access-Control-Allow-Methods", "GET, PUT"),
                        Map.entry("Access-Control-Allow-Headers", "x-amz-meta-a, content-type"),
                        Map.entry("Access-Control-Expose-Headers", "ETag, x-amz-version-id"),
                        Map.entry("Access-Control-Max-Age", "3000"));
        assertThat(CorsAnswer.headers(ANYONE_READS, "https://evil.example.net", List.of())).containsExactly(
                Map.entry("Access-Control-Allow-Origin", "*"),
                Map.entry("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
                Map.entry("Access-Control-Allow-Methods", "GET, HEAD"));
    }
}
