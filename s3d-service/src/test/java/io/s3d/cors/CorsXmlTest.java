package io.s3d.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** PutBucketCors's validation as AWS answers it, and the document GetBucketCors gives back. */
class CorsXmlTest {
    private static byte[] config(String rules) {
        return ("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" + rules
                + "</CORSConfiguration>").getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(String rules, String code, String message) {
        assertThatThrownBy(() -> CorsXml.parse(config(rules))).isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status()).isEqualTo(400);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
        });
    }

    @Test
    void aFullRuleSurvivesTheRoundTripInOrder() {
        List<CorsRule> rules = CorsXml.parse(config("<CORSRule><ID>web</ID>"
                + "<AllowedOrigin>https://app.example.com</AllowedOrigin><AllowedOrigin>http://test.com:80</AllowedOrigin>"
                + "<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod>"
                + "<AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader>"
                + "<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>"
                + "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"));
        assertThat(rules).containsExactly(
                new CorsRule("web", List.of("https://app.example.com", "http://test.com:80"), List.of("PUT", "GET"),
                        List.of("x-amz-*"), List.of("ETag"), OptionalInt.of(3000)),
                new CorsRule(null, List.of("*"), List.of("GET"), List.of(), List.of(), OptionalInt.empty()));
        assertThat(CorsXml.parse(CorsXml.render(rules))).isEqualTo(rules);
        assertThat(new String(CorsXml.render(rules.subList(1, 2)), StandardCharsets.UTF_8)).endsWith(
                "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule>"
                        + "<AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>"
                        + "</CORSConfiguration>");
    }

    @Test
    void anEmptyOriginIsKept() {
        assertThat(CorsXml.parse(config("<CORSRule><AllowedOrigin></AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "</CORSRule>")).get(0).allowedOrigins()).containsExactly("");
    }

    @Test
    void methodsOtherThanTheFiveAreInvalidRequest() {
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>MYMETHOD</AllowedMethod></CORSRule>",
                "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is MYMETHOD");
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>OPTIONS</AllowedMethod></CORSRule>",
                "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is OPTIONS");
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>get</AllowedMethod></CORSRule>",
                "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is get");
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod/></CORSRule>",
                "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is ");
    }

    @Test
    void wildcardsAreLimited() {
        assertRefused("<CORSRule><AllowedOrigin>*example*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "</CORSRule>", "InvalidRequest", "AllowedOrigin \"*example*.com\" can not have more than one wildcard.");
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<AllowedHeader>x-*-*</AllowedHeader></CORSRule>", "InvalidRequest",
                "AllowedHeader \"x-*-*\" can not have more than one wildcard.");
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<ExposeHeader>*</ExposeHeader></CORSRule>", "InvalidRequest", null);
    }

    @Test
    void missingOrStrayElementsAreMalformedXml() {
        assertRefused("", "MalformedXML", null);
        assertRefused("<CORSRule/>", "MalformedXML", null);
        assertRefused("<CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>", "MalformedXML", null);
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>", "MalformedXML", null);
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Bogus/></CORSRule>",
                "MalformedXML", null);
        assertRefused("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
                + "<MaxAgeSeconds>soon</MaxAgeSeconds></CORSRule>", "MalformedXML", null);
        assertRefused("<Rule/>", "MalformedXML", null);
        assertThatThrownBy(() -> CorsXml.parse("<LifecycleConfiguration/>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("MalformedXML"));
    }

    @Test
    void atMostOneHundredRulesInSixtyFourKilobytes() {
        String rule = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>";
        assertThat(CorsXml.parse(config(rule.repeat(100)))).hasSize(100);
        assertRefused(rule.repeat(101), "InvalidRequest",
                "The number of CORS rules should not exceed allowed limit of 100 rules.");
        String big = "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>"
                + "x".repeat(70_000) + "</AllowedHeader></CORSRule>";
        assertRefused(big, "MalformedXML", null);
    }
}
