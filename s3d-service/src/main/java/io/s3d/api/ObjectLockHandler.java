package io.s3d.api;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectLock;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * Put/GetObjectLockConfiguration, Put/GetObjectRetention, Put/GetObjectLegalHold, and the Object
 * Lock headers of a write (PutObject, CopyObject, CreateMultipartUpload), checked as S3 checks them.
 */
final class ObjectLockHandler {
    static final String BYPASS_GOVERNANCE = "x-amz-bypass-governance-retention";
    private final ObjectBackend backend;

    ObjectLockHandler(ObjectBackend backend) {
        this.backend = backend;
    }

    // ---------------------------------------------------------------- bucket configuration

    S3Response getConfiguration(S3Request request) {
        ObjectLock.Configuration configuration = backend.objectLockConfiguration(request.bucket)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND_ERROR)
                        .withElements(Map.of("BucketName", request.bucket)));
        XmlWriter xml = XmlWriter.document("ObjectLockConfiguration").element("ObjectLockEnabled", "Enabled");
        configuration.defaultRetention().ifPresent(rule -> {
            xml.start("Rule").start("DefaultRetention").element("Mode", rule.mode().name());
            if (rule.days() > 0) {
                xml.element("Days", rule.days());
            } else {
                xml.element("Years", rule.years());
            }
            xml.end("DefaultRetention").end("Rule");
        });
        return S3Response.xml(200, xml.finish("ObjectLockConfiguration"));
    }

    S3Response putConfiguration(S3Request request) {
        backend.headBucket(request.bucket);
        XmlRequest xml = XmlRequest.parse(request.digestedSmallBody(64 * 1024), "ObjectLockConfiguration");
        if (!"Enabled".equals(XmlRequest.childText(xml.root(), "ObjectLockEnabled"))) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        Optional<ObjectLock.DefaultRetention> rule = Optional.empty();
        Element ruleElement = single(xml.root(), "Rule");
        if (ruleElement != null) {
            Element retention = single(ruleElement, "DefaultRetention");
            if (retention == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            rule = Optional.of(defaultRetention(retention));
        }
        backend.putObjectLockConfiguration(request.bucket, new ObjectLock.Configuration(rule));
        return S3Response.status(200);
    }

    /** A DefaultRetention: a mode and exactly one of Days and Years, positive and at most 100 years. */
    private static ObjectLock.DefaultRetention defaultRetention(Element retention) {
        ObjectLock.Mode mode = ObjectLock.Mode.of(XmlRequest.childText(retention, "Mode"))
                .orElseThrow(() -> new S3Exception(S3ErrorCode.MALFORMED_XML));
        String days = XmlRequest.childText(retention, "Days");
        String years = XmlRequest.childText(retention, "Years");
        if ((days == null) == (years == null)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String name = days != null ? "Days" : "Years";
        int period;
        try {
            period = Integer.parseInt((days != null ? days : years).trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        if (period <= 0) {
            throw invalidArgument("Default retention period must be a positive integer value.", name,
                    Integer.toString(period));
        }
        if (period > (days != null ? ObjectLock.MAX_DAYS : ObjectLock.MAX_YEARS)) {
            throw invalidArgument("Default retention period too large.", name, Integer.toString(period));
        }
        return days != null ? new ObjectLock.DefaultRetention(mode, period, 0)
                : new ObjectLock.DefaultRetention(mode, 0, period);
    }

    // ---------------------------------------------------------------- one version

    S3Response getRetention(S3Request request) {
        ObjectLock.Retention retention = backend.objectLockState(request.bucket, request.key,
                request.query("versionId")).retention().orElseThrow(ObjectLockHandler::noLock);
        XmlWriter xml = XmlWriter.document("Retention").element("Mode", retention.mode().name())
                .element("RetainUntilDate", ObjectLock.format(retention.retainUntil()));
        return S3Response.xml(200, xml.finish("Retention"));
    }

    S3Response putRetention(S3Request request) {
        XmlRequest xml = XmlRequest.parse(request.digestedSmallBody(64 * 1024), "Retention");
        String mode = XmlRequest.childText(xml.root(), "Mode");
        String date = XmlRequest.childText(xml.root(), "RetainUntilDate");
        Optional<ObjectLock.Retention> retention = Optional.empty();
        if (mode != null || date != null) {
            if (mode == null || date == null) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            Instant until = parseDate(date).orElseThrow(() -> new S3Exception(S3ErrorCode.MALFORMED_XML));
            if (!until.isAfter(Instant.now())) {
                throw invalidArgument("The retain until date must be in the future!", ObjectLock.RETAIN_UNTIL, date);
            }
            retention = Optional.of(new ObjectLock.Retention(ObjectLock.Mode.of(mode)
                    .orElseThrow(() -> new S3Exception(S3ErrorCode.MALFORMED_XML)), until));
        }
        backend.putObjectRetention(request.bucket, request.key, request.query("versionId"), retention,
                bypassGovernance(request));
        return S3Response.status(200);
    }

    S3Response getLegalHold(S3Request request) {
        boolean on = backend.objectLockState(request.bucket, request.key, request.query("versionId")).legalHold()
                .orElseThrow(ObjectLockHandler::noLock);
        XmlWriter xml = XmlWriter.document("LegalHold").element("Status", on ? "ON" : "OFF");
        return S3Response.xml(200, xml.finish("LegalHold"));
    }

    S3Response putLegalHold(S3Request request) {
        XmlRequest xml = XmlRequest.parse(request.digestedSmallBody(64 * 1024), "LegalHold");
        String status = XmlRequest.childText(xml.root(), "Status");
        if (!"ON".equals(status) && !"OFF".equals(status)) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        backend.putObjectLegalHold(request.bucket, request.key, request.query("versionId"), status.equals("ON"));
        return S3Response.status(200);
    }

    // ---------------------------------------------------------------- the headers of a write

    /** Whether the request asks to lift a GOVERNANCE retention ({@code x-amz-bypass-governance-retention: true}). */
    static boolean bypassGovernance(S3Request request) {
        return "true".equalsIgnoreCase(trimmed(request.header(BYPASS_GOVERNANCE)));
    }

    /**
     * The Object Lock a write asks for, as the headers its new version is stored with (none: empty),
     * checked as S3 checks them: mode and retain-until date together, a date in the future, legal
     * hold ON or OFF, a bucket with Object Lock — and, for a write with a body that gets a
     * retention or legal hold (its own or the bucket's default), a Content-MD5 or checksum.
     */
    static Map<String, String> newVersion(S3Request request, ObjectBackend backend, boolean withBody) {
        String mode = trimmed(request.header(ObjectLock.MODE));
        String date = trimmed(request.header(ObjectLock.RETAIN_UNTIL));
        String hold = trimmed(request.header(ObjectLock.LEGAL_HOLD));
        Map<String, String> lock = new LinkedHashMap<>();
        if (mode != null && ObjectLock.Mode.of(mode).isEmpty()) {
            throw invalidArgument("Unknown wormMode directive.", ObjectLock.MODE, mode);
        }
        Optional<Instant> until = Optional.empty();
        if (date != null) {
            until = parseDate(date);
            if (until.isEmpty()) {
                throw invalidArgument("The retain until date must be provided in ISO 8601 format",
                        ObjectLock.RETAIN_UNTIL, date);
            }
        }
        if ((mode == null) != (date == null)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied.")
                    .withElements(Map.of("ArgumentName", mode == null ? ObjectLock.MODE : ObjectLock.RETAIN_UNTIL));
        }
        if (until.isPresent()) {
            if (!until.get().isAfter(Instant.now())) {
                throw invalidArgument("The retain until date must be in the future!", ObjectLock.RETAIN_UNTIL, date);
            }
            lock.put(ObjectLock.MODE, mode);
            lock.put(ObjectLock.RETAIN_UNTIL, ObjectLock.format(until.get()));
        }
        if (hold != null) {
            if (!hold.equals("ON") && !hold.equals("OFF")) {
                throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", ObjectLock.LEGAL_HOLD, hold);
            }
            lock.put(ObjectLock.LEGAL_HOLD, hold);
        }
        Optional<ObjectLock.Configuration> configuration = backend.objectLockConfiguration(request.bucket);
        if (!lock.isEmpty() && configuration.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing ObjectLockConfiguration");
        }
        boolean locks = !lock.isEmpty() || configuration.flatMap(ObjectLock.Configuration::defaultRetention)
                .isPresent();
        if (withBody && locks && request.header("Content-MD5") == null && !request.hasChecksum()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Content-MD5 OR x-amz-checksum- HTTP header is "
                    + "required for Put Object requests with Object Lock parameters");
        }
        return lock;
    }

    /** {@code headers} with the Object Lock headers of a write added. */
    static Map<String, String> with(Map<String, String> headers, Map<String, String> lock) {
        if (lock.isEmpty()) {
            return headers;
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(lock);
        return all;
    }

    /** An ISO 8601 date-time, with or without fractions and with any offset (as S3 reads it). */
    static Optional<Instant> parseDate(String value) {
        try {
            return Optional.of(OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static S3Exception noLock() {
        return new S3Exception(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
    }

    private static S3Exception invalidArgument(String message, String name, String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, message)
                .withElements(Map.of("ArgumentName", name, "ArgumentValue", value));
    }

    private static Element single(Element parent, String name) {
        java.util.List<Element> children = XmlRequest.children(parent, name);
        if (children.size() > 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        return children.isEmpty() ? null : children.get(0);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
