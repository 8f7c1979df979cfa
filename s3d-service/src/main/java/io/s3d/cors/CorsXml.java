package io.s3d.cors;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads a {@code <CORSConfiguration>} with S3's validation (the codes and messages AWS answers
 * PutBucketCors with) and writes it back as GetBucketCors answers; the stored form is the written one.
 */
public final class CorsXml {
    static final String ROOT = "CORSConfiguration";
    /** AWS's limits: at most 100 rules in at most 64 KB of XML. */
    public static final int MAX_RULES = 100;
    public static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_ID_LENGTH = 255;
    /** The only methods a CORS rule may name; OPTIONS (the preflight itself) is not one of them. */
    private static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "HEAD");
    private static final Set<String> RULE_ELEMENTS = Set.of("ID", "AllowedOrigin", "AllowedMethod", "AllowedHeader",
            "ExposeHeader", "MaxAgeSeconds");

    private CorsXml() {
    }

    /** Parses and validates a PutBucketCors body; throws the S3 error AWS would answer. */
    public static List<CorsRule> parse(byte[] body) {
        if (body.length > MAX_BYTES) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML, "The XML you provided was larger than the maximum "
                    + MAX_BYTES + " bytes allowed.");
        }
        Element root = XmlRequest.parse(body, ROOT).root();
        List<Element> ruleElements = XmlRequest.children(root, "CORSRule");
        if (ruleElements.isEmpty() || XmlRequest.children(root).size() != ruleElements.size()) {
            throw malformed();
        }
        if (ruleElements.size() > MAX_RULES) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The number of CORS rules should not exceed allowed limit of " + MAX_RULES + " rules.");
        }
        List<CorsRule> rules = new ArrayList<>();
        for (Element element : ruleElements) {
            rules.add(rule(element));
        }
        return List.copyOf(rules);
    }

    private static CorsRule rule(Element rule) {
        for (Element child : XmlRequest.children(rule)) {
            if (!RULE_ELEMENTS.contains(child.getLocalName())) {
                throw malformed();
            }
        }
        List<Element> ids = XmlRequest.children(rule, "ID");
        if (ids.size() > 1) {
            throw malformed();
        }
        String id = ids.isEmpty() ? null : ids.get(0).getTextContent();
        if (id != null && id.length() > MAX_ID_LENGTH) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The ID of a CORS rule must not be longer than "
                    + MAX_ID_LENGTH + " characters.");
        }
        List<String> origins = texts(rule, "AllowedOrigin");
        List<String> methods = texts(rule, "AllowedMethod");
        if (origins.isEmpty() || methods.isEmpty()) {
            throw malformed();
        }
        for (String method : methods) {
            if (!METHODS.contains(method)) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Found unsupported HTTP method in CORS config. Unsupported method is " + method);
            }
        }
        for (String origin : origins) {
            if (wildcards(origin) > 1) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "AllowedOrigin \"" + origin + "\" can not have more than one wildcard.");
            }
        }
        List<String> headers = texts(rule, "AllowedHeader");
        for (String header : headers) {
            if (wildcards(header) > 1) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "AllowedHeader \"" + header + "\" can not have more than one wildcard.");
            }
        }
        List<String> exposed = texts(rule, "ExposeHeader");
        for (String header : exposed) {
            if (header.contains("*")) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "ExposeHeader \"" + header
                        + "\" contains wildcard. We currently do not support wildcard for ExposeHeader.");
            }
        }
        return new CorsRule(id, origins, methods, headers, exposed, maxAge(rule));
    }

    private static OptionalInt maxAge(Element rule) {
        List<Element> found = XmlRequest.children(rule, "MaxAgeSeconds");
        if (found.isEmpty()) {
            return OptionalInt.empty();
        }
        if (found.size() > 1) {
            throw malformed();
        }
        try {
            int seconds = Integer.parseInt(found.get(0).getTextContent().trim());
            if (seconds < 0) {
                throw malformed();
            }
            return OptionalInt.of(seconds);
        } catch (NumberFormatException e) {
            throw malformed();
        }
    }

    private static int wildcards(String value) {
        return (int) value.chars().filter(c -> c == '*').count();
    }

    private static List<String> texts(Element parent, String name) {
        return XmlRequest.children(parent, name).stream().map(Element::getTextContent).toList();
    }


    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_XML);
    }

    /** The configuration as GetBucketCors answers it (and as it is stored): only the members set. */
    public static byte[] render(List<CorsRule> rules) {
        XmlWriter xml = XmlWriter.document(ROOT);
        for (CorsRule rule : rules) {
            xml.start("CORSRule");
            xml.element("ID", rule.id());
            rule.allowedHeaders().forEach(h -> xml.element("AllowedHeader", h));
            rule.allowedMethods().forEach(m -> xml.element("AllowedMethod", m));
            rule.allowedOrigins().forEach(o -> xml.element("AllowedOrigin", o));
            rule.exposeHeaders().forEach(h -> xml.element("ExposeHeader", h));
            rule.maxAgeSeconds().ifPresent(seconds -> xml.element("MaxAgeSeconds", seconds));
            xml.end("CORSRule");
        }
        return xml.finish(ROOT);
    }
}
