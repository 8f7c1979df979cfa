package io.s3d.api;

import io.s3d.api.auth.ChecksumAlgorithm;
import io.s3d.api.auth.CredentialStore;
import io.s3d.api.auth.HashingInputStream;
import io.s3d.api.auth.PostPolicy;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.StraightThrough;
import io.s3d.backend.WriteCondition;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** POST Object: browser uploads with a signed policy, streamed from the form to the store. */
final class PostObjectHandler {
    private static final String[][] HEADER_FIELDS = { { "content-type", "content-type" },
            { "cache-control", "cache-control" }, { "content-disposition", "content-disposition" },
            { "content-encoding", "content-encoding" }, { "content-language", "content-language" },
            { "expires", "expires" } };

    private final ObjectBackend backend;
    private final CredentialStore credentials;
    private final Clock clock;

    /** Decides whether the form's signer may write {@code key} (access control of the standalone store). */
    interface Authorizer {
        void authorize(S3Request request, String accessKeyId, String key);
    }

    private final Authorizer authorizer;

    PostObjectHandler(ObjectBackend backend, CredentialStore credentials, Clock clock) {
        this(backend, credentials, clock, (request, accessKeyId, key) -> {
        });
    }

    PostObjectHandler(ObjectBackend backend, CredentialStore credentials, Clock clock, Authorizer authorizer) {
        this.backend = backend;
        this.credentials = credentials;
        this.clock = clock;
        this.authorizer = authorizer;
    }

    S3Response post(S3Request request) {
        backend.headBucket(request.bucket);
        String boundary = FormDataReader.boundaryOf(request.header("Content-Type"));
        if (boundary == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
        }
        try {
            FormDataReader form = new FormDataReader(request.rawBody(), boundary);
            form.start();
            Map<String, String> fields = new LinkedHashMap<>();
            FormDataReader.PartHeader part;
            while ((part = form.nextPart()) != null) {
                if (part.name() == null) {
                    throw new S3Exception(S3ErrorCode.MALFORMED_POST_REQUEST);
                }
                String name = part.name().toLowerCase(Locale.ROOT);
                if (name.equals("file")) {
                    return store(request, fields, part, form.partStream());
                }
                fields.put(name, form.fieldValue());
            }
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "POST requires exactly one file upload per request.")
                    .withElements(Map.of("ArgumentName", "file", "ArgumentValue", "0"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first form field that asks for something s3d's own write path does not carry to the
     * remote (encryption, ACL, object lock, storage class, website redirect: see
     * {@link StraightThrough}), so that a gateway refuses it rather than drop it.
     */
    static Optional<String> unstoredField(Map<String, String> fields) {
        Map<String, String> asHeaders = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.equals("acl")) {
                asHeaders.put("x-amz-acl", value);
            } else if (name.startsWith("x-amz-") && !name.startsWith("x-amz-meta-")) {
                asHeaders.put(name, value);
            }
        });
        return StraightThrough.reason("POST", Map.of(), asHeaders).map(h -> h.equals("x-amz-acl") ? "acl" : h);
    }

    /**
     * The first form field the local store would not apply to a browser upload: what
     * {@link #unstoredField} names, but for the encryption fields (the local store encrypts as the
     * headers say) and {@code acl=private} (what every upload gets anyway). An ACL, a grant or an
     * Object Lock setting is refused rather than dropped: the object would silently be less public or
     * less protected than asked.
     */
    static Optional<String> unappliedField(Map<String, String> fields) {
        Map<String, String> rest = new LinkedHashMap<>(fields);
        rest.keySet().removeIf(name -> name.startsWith("x-amz-server-side-encryption"));
        if ("private".equals(rest.get("acl"))) {
            rest.remove("acl");
        }
        return unstoredField(rest);
    }

    private S3Response store(S3Request request, Map<String, String> fields, FormDataReader.PartHeader file,
            InputStream content) {
        String key = fields.get("key");
        if (key == null || key.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
                    .withElements(Map.of("ArgumentName", "key", "ArgumentValue", ""));
        }
        key = key.replace("${filename}", file.filename() == null ? "" : file.filename());
        fields.put("key", key);
        PostPolicy policy = PostPolicy.verify(fields, credentials, clock);
        policy.checkFields(fields, request.bucket);
        String credential = fields.get("x-amz-credential");
        // The signer: SigV4's credential scope starts with the key id; a SigV2 form names it outright.
        authorizer.authorize(request, credential != null ? credential.split("/", 2)[0] : fields.get("awsaccesskeyid"),
                key);
        if (backend.forwards()) {
            unstoredField(fields).ifPresent(field -> {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "s3d does not pass the form field '" + field
                        + "' of a browser upload on to the remote store; upload without it, or with a presigned PUT "
                        + "(which s3d forwards with its headers).");
            });
        } else {
            unappliedField(fields).ifPresent(field -> {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "s3d does not apply the form field '" + field
                        + "' of a browser upload; upload without it, or with a presigned PUT (which applies ACLs, "
                        + "grants and Object Lock headers).");
            });
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String[] field : HEADER_FIELDS) {
            if (fields.containsKey(field[0])) {
                headers.put(field[1], fields.get(field[0]));
            }
        }
        if (!headers.containsKey("content-type") && file.contentType() != null) {
            headers.put("content-type", file.contentType());
        }
        Map<String, String> userMetadata = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith("x-amz-meta-")) {
                userMetadata.put(name.substring("x-amz-meta-".length()), value);
            }
        });
        HeaderValues.requireSafe(headers, "");
        HeaderValues.requireSafe(userMetadata, "x-amz-meta-");
        HeaderValues.requireSafe("success_action_redirect", fields.get("success_action_redirect"));
        HeaderValues.requireSafe("redirect", fields.get("redirect"));
        Map<String, String> tags = fields.containsKey("tagging")
                ? Tagging.fromXml(fields.get("tagging").getBytes(StandardCharsets.UTF_8), Tagging.MAX_OBJECT_TAGS)
                : Map.of();
        FormChecksum checksum = FormChecksum.of(fields);
        EncryptionHeaders.Write encryption = backend.forwards() ? EncryptionHeaders.Write.NONE
                : EncryptionHeaders.forWrite(name -> fields.get(name.toLowerCase(java.util.Locale.ROOT)),
                        request.confidentialChannel());
        headers.putAll(encryption.stored());
        ObjectMeta meta = backend.putObject(new PutRequest(request.bucket, key,
                checksum.watch(new LengthRange(content, policy.minLength(), policy.maxLength())), -1, Optional.empty(),
                headers, userMetadata, tags, checksum::verified, WriteCondition.NONE, encryption.customerKey()));
        String location = "/" + request.bucket + "/" + key;
        String redirect = redirectTarget(fields);
        if (redirect != null) {
            String target = redirect + (redirect.contains("?") ? "&" : "?") + "bucket=" + encode(request.bucket)
                    + "&key=" + encode(key) + "&etag=" + encode(meta.quotedEtag());
            return checksumHeaders(S3Response.status(303).header("Location", target).header("ETag", meta.quotedEtag()),
                    meta);
        }
        String status = fields.getOrDefault("success_action_status", "204");
        if (status.equals("201")) {
            XmlWriter xml = XmlWriter.plainDocument("PostResponse").element("Location", location)
                    .element("Bucket", request.bucket).element("Key", key).element("ETag", meta.quotedEtag());
            return checksumHeaders(S3Response.xml(201, xml.finish("PostResponse")).header("ETag", meta.quotedEtag())
                    .header("Location", location), meta);
        }
        return checksumHeaders(S3Response.status(status.equals("200") ? 200 : 204).header("ETag", meta.quotedEtag())
                .header("Location", location), meta);
    }

    /**
     * Where to send the browser after the upload: {@code success_action_redirect}, or its older
     * name {@code redirect}. As in S3, a value that is not an absolute URL is ignored and the
     * answer falls back to {@code success_action_status}.
     */
    private static String redirectTarget(Map<String, String> fields) {
        for (String name : new String[] {"success_action_redirect", "redirect"}) {
            String value = fields.get(name);
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                java.net.URI uri = new java.net.URI(value.strip());
                if (uri.getScheme() != null && uri.isAbsolute()) {
                    return value.strip();
                }
            } catch (java.net.URISyntaxException e) {
                // not a URL S3 can interpret: as if absent
            }
        }
        return null;
    }

    /** The checksum and encryption headers of the stored object, on the answer to the upload. */
    private static S3Response checksumHeaders(S3Response response, ObjectMeta meta) {
        EncryptionHeaders.answer(response, meta);
        meta.checksums().forEach((name, value) -> ChecksumAlgorithm.fromName(name)
                .ifPresent(a -> response.header(a.headerName(), value)));
        return response;
    }

    /**
     * The form's {@code x-amz-checksum-algorithm} and {@code x-amz-checksum-<algorithm>} fields: the
     * checksum is computed over the file as it streams and, when the form gave a value, checked
     * against it (BadDigest), then kept with the object as a PUT's is.
     */
    private static final class FormChecksum {
        private final ChecksumAlgorithm algorithm;
        private final String declared;
        private HashingInputStream hashed;

        private FormChecksum(ChecksumAlgorithm algorithm, String declared) {
            this.algorithm = algorithm;
            this.declared = declared;
        }

        static FormChecksum of(Map<String, String> fields) {
            ChecksumAlgorithm algorithm = null;
            String declared = null;
            for (ChecksumAlgorithm candidate : ChecksumAlgorithm.values()) {
                String value = fields.get(candidate.headerName());
                if (value != null) {
                    if (algorithm != null) {
                        throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                    }
                    algorithm = candidate;
                    declared = value.trim();
                }
            }
            String named = fields.get("x-amz-checksum-algorithm");
            if (named != null) {
                ChecksumAlgorithm asked = ChecksumAlgorithm.fromName(named).orElseThrow(() -> new S3Exception(
                        S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported. Please try again "
                                + "with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"));
                if (algorithm != null && algorithm != asked) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-" + algorithm.name()
                            .toLowerCase(Locale.ROOT) + " header is invalid.");
                }
                algorithm = asked;
            }
            return new FormChecksum(algorithm, declared);
        }

        InputStream watch(InputStream file) {
            if (algorithm == null) {
                return file;
            }
            hashed = new HashingInputStream(file, algorithm.newHasher());
            return hashed;
        }

        Map<String, String> verified() {
            if (algorithm == null) {
                return Map.of();
            }
            String computed = hashed.digestBase64();
            if (declared != null && !declared.equals(computed)) {
                throw new S3Exception(S3ErrorCode.BAD_DIGEST, "The " + algorithm.name()
                        + " you specified did not match the calculated checksum.");
            }
            return Map.of(algorithm.name(), computed);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Enforces the policy's content-length-range while the file streams (EntityTooSmall / EntityTooLarge). */
    private static final class LengthRange extends FilterInputStream {
        private final long min;
        private final long max;
        private long count;

        LengthRange(InputStream in, long min, long max) {
            super(in);
            this.min = min;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new S3Exception(S3ErrorCode.ENTITY_TOO_LARGE).withElements(Map.of("MaxSizeAllowed",
                            Long.toString(max)));
                }
            } else if (n < 0 && count < min) {
                throw new S3Exception(S3ErrorCode.ENTITY_TOO_SMALL).withElements(Map.of("MinSizeAllowed",
                        Long.toString(min), "ProposedSize", Long.toString(count)));
            }
            return n;
        }
    }
}
