package io.s3d.access.acl;

import io.s3d.access.Identity;
import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.w3c.dom.Element;

/** The {@code AccessControlPolicy} document of Get/Put Bucket/Object ACL; also how s3d stores an ACL. */
public final class AclXml {
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    private static final Set<String> GROUPS = Set.of(Grantee.ALL_USERS, Grantee.AUTHENTICATED_USERS,
            Grantee.LOG_DELIVERY);

    private AclXml() {
    }

    public static byte[] render(Acl acl) {
        XmlWriter xml = XmlWriter.document("AccessControlPolicy");
        xml.start("Owner").element("ID", acl.ownerId()).element("DisplayName", acl.ownerName()).end("Owner");
        xml.start("AccessControlList");
        for (Grant grant : acl.grants()) {
            xml.start("Grant");
            Grantee grantee = grant.grantee();
            Map<String, String> attributes = new java.util.LinkedHashMap<>();
            attributes.put("xmlns:xsi", XSI);
            attributes.put("xsi:type", grantee.isGroup() ? "Group" : "CanonicalUser");
            xml.startWithAttributes("Grantee", attributes);
            if (grantee.isGroup()) {
                xml.element("URI", grantee.groupUri());
            } else {
                xml.element("ID", grantee.canonicalId()).element("DisplayName", grantee.displayName());
            }
            xml.end("Grantee").element("Permission", grant.permission().name()).end("Grant");
        }
        xml.end("AccessControlList");
        return xml.finish("AccessControlPolicy");
    }

    /**
     * Parses an {@code AccessControlPolicy} a client sent (or s3d stored).
     *
     * @param byCanonicalId the identities a grant may name; null accepts any id (reading back what s3d stored)
     * @throws S3Exception MalformedACLError, InvalidArgument (an unknown id or group),
     *     UnresolvableGrantByEmailAddress
     */
    public static Acl parse(byte[] body, Function<String, Optional<Identity>> byCanonicalId) {
        XmlRequest document;
        try {
            document = XmlRequest.parse(body, "AccessControlPolicy");
        } catch (S3Exception e) {
            throw malformed();
        }
        Element root = document.root();
        List<Element> owners = XmlRequest.children(root, "Owner");
        if (owners.size() != 1 || XmlRequest.childText(owners.get(0), "ID") == null) {
            throw malformed();
        }
        String ownerId = XmlRequest.childText(owners.get(0), "ID").trim();
        String ownerName = XmlRequest.childText(owners.get(0), "DisplayName");
        List<Element> lists = XmlRequest.children(root, "AccessControlList");
        if (lists.size() > 1) {
            throw malformed();
        }
        List<Grant> grants = new ArrayList<>();
        for (Element list : lists) {
            for (Element grant : XmlRequest.children(list, "Grant")) {
                grants.add(grant(grant, byCanonicalId));
            }
        }
        return new Acl(ownerId, ownerName, grants);
    }

    private static Grant grant(Element grant, Function<String, Optional<Identity>> byCanonicalId) {
        List<Element> grantees = XmlRequest.children(grant, "Grantee");
        String permissionText = XmlRequest.childText(grant, "Permission");
        if (grantees.size() != 1 || permissionText == null) {
            throw malformed();
        }
        Permission permission;
        try {
            permission = Permission.valueOf(permissionText.trim());
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        Element grantee = grantees.get(0);
        String type = grantee.getAttributeNS(XSI, "type");
        return switch (type) {
            case "CanonicalUser" -> {
                String id = XmlRequest.childText(grantee, "ID");
                if (id == null) {
                    throw malformed();
                }
                String trimmed = id.trim();
                if (byCanonicalId == null) {
                    yield new Grant(Grantee.user(trimmed, XmlRequest.childText(grantee, "DisplayName")), permission);
                }
                Identity who = byCanonicalId.apply(trimmed).orElseThrow(() -> invalidId(trimmed));
                yield new Grant(Grantee.user(who.canonicalId(), who.displayName()), permission);
            }
            case "Group" -> {
                String uri = XmlRequest.childText(grantee, "URI");
                if (uri == null) {
                    throw malformed();
                }
                yield new Grant(group(uri.trim()), permission);
            }
            case "AmazonCustomerByEmail" -> throw unresolvableEmail();
            default -> throw malformed();
        };
    }

    static Grantee group(String uri) {
        if (!GROUPS.contains(uri)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid group uri")
                    .withElements(Map.of("ArgumentName", "uri", "ArgumentValue", uri));
        }
        return Grantee.group(uri);
    }

    static S3Exception invalidId(String id) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid id")
                .withElements(Map.of("ArgumentName", "CanonicalUser/ID", "ArgumentValue", id));
    }

    static S3Exception unresolvableEmail() {
        // s3d's identities have no e-mail addresses, so no address resolves (as AWS in regions without them).
        return new S3Exception(S3ErrorCode.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS);
    }

    static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
    }
}
