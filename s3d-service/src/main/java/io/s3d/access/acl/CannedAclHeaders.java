package io.s3d.access.acl;

import io.s3d.access.Identity;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ACL a request asks for in its headers: a canned ACL ({@code x-amz-acl}) or explicit grants
 * ({@code x-amz-grant-read: id="...", uri="..."}), as CreateBucket, PutObject, CopyObject,
 * CreateMultipartUpload and Put*Acl accept them.
 */
public final class CannedAclHeaders {
    static final Map<String, Permission> GRANT_HEADERS = Map.of("x-amz-grant-read", Permission.READ,
            "x-amz-grant-write", Permission.WRITE, "x-amz-grant-read-acp", Permission.READ_ACP,
            "x-amz-grant-write-acp", Permission.WRITE_ACP, "x-amz-grant-full-control", Permission.FULL_CONTROL);
    private static final List<String> GRANT_ORDER = List.of("x-amz-grant-full-control", "x-amz-grant-read",
            "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp");
    private static final Pattern GRANTEE = Pattern.compile(
            "\\s*([A-Za-z]+)\\s*=\\s*(?:\"([^\"]*)\"|([^,\"\\s]+))\\s*(,|$)");

    private CannedAclHeaders() {
    }

    /** True when the request names an ACL in its headers at all. */
    public static boolean present(Function<String, String> header) {
        return header.apply("x-amz-acl") != null || GRANT_HEADERS.keySet().stream().anyMatch(h -> header.apply(h) != null);
    }

    /** The canned ACL's name, lower-cased, or null. */
    public static String cannedName(Function<String, String> header) {
        String canned = header.apply("x-amz-acl");
        return canned == null ? null : canned.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The ACL the headers ask for, owned by {@code owner}; empty when they name none.
     *
     * @param bucketOwner the owner of the bucket (for {@code bucket-owner-read} / {@code -full-control})
     * @param byCanonicalId the identities grants may name
     * @throws S3Exception InvalidArgument (unknown canned ACL, id or group, malformed grant),
     *     InvalidRequest (canned ACL and grants together), UnresolvableGrantByEmailAddress
     */
    public static Optional<Acl> parse(Function<String, String> header, Identity owner, Identity bucketOwner,
            Function<String, Optional<Identity>> byCanonicalId) {
        String canned = cannedName(header);
        boolean grants = GRANT_HEADERS.keySet().stream().anyMatch(h -> header.apply(h) != null);
        if (canned != null && grants) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (canned != null) {
            return Optional.of(canned(canned, owner, bucketOwner));
        }
        if (!grants) {
            return Optional.empty();
        }
        List<Grant> list = new ArrayList<>();
        for (String name : GRANT_ORDER) {
            String value = header.apply(name);
            if (value != null) {
                for (Grantee grantee : grantees(name, value, byCanonicalId)) {
                    list.add(new Grant(grantee, GRANT_HEADERS.get(name)));
                }
            }
        }
        return Optional.of(new Acl(owner.canonicalId(), owner.displayName(), list));
    }

    /** A canned ACL as AWS defines it. */
    public static Acl canned(String name, Identity owner, Identity bucketOwner) {
        List<Grant> grants = new ArrayList<>(Acl.ownerOnly(owner).grants());
        switch (name) {
            case "private", "aws-exec-read" -> {
            }
            case "public-read" -> grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
            case "public-read-write" -> {
                grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.READ));
                grants.add(new Grant(Grantee.group(Grantee.ALL_USERS), Permission.WRITE));
            }
            case "authenticated-read" -> grants.add(new Grant(Grantee.group(Grantee.AUTHENTICATED_USERS),
                    Permission.READ));
            case "bucket-owner-read", "bucket-owner-full-control" -> {
                if (!bucketOwner.canonicalId().equals(owner.canonicalId())) {
                    grants.add(new Grant(Grantee.user(bucketOwner.canonicalId(), bucketOwner.displayName()),
                            name.equals("bucket-owner-read") ? Permission.READ : Permission.FULL_CONTROL));
                }
            }
            case "log-delivery-write" -> {
                grants.add(new Grant(Grantee.group(Grantee.LOG_DELIVERY), Permission.WRITE));
                grants.add(new Grant(Grantee.group(Grantee.LOG_DELIVERY), Permission.READ_ACP));
            }
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT)
                    .withElements(Map.of("ArgumentName", "x-amz-acl", "ArgumentValue", name));
        }
        return new Acl(owner.canonicalId(), owner.displayName(), grants);
    }

    private static List<Grantee> grantees(String header, String value, Function<String, Optional<Identity>> byId) {
        List<Grantee> out = new ArrayList<>();
        Matcher m = GRANTEE.matcher(value);
        int at = 0;
        while (at < value.length() && m.find(at) && m.start() == at) {
            String type = m.group(1);
            // AWS takes the value quoted (id="...") or bare (id=..., as the AWS CLI documents it).
            String text = (m.group(2) != null ? m.group(2) : m.group(3)).trim();
            out.add(switch (type) {
                case "id" -> byId.apply(text).map(i -> Grantee.user(i.canonicalId(), i.displayName()))
                        .orElseThrow(() -> AclXml.invalidId(text));
                case "uri" -> AclXml.group(text);
                case "emailAddress" -> throw AclXml.unresolvableEmail();
                default -> throw malformed(header, value);
            });
            at = m.end();
        }
        if (at < value.length() || out.isEmpty()) {
            throw malformed(header, value);
        }
        return out;
    }

    private static S3Exception malformed(String header, String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid grant header: " + header)
                .withElements(Map.of("ArgumentName", header, "ArgumentValue", value));
    }
}
