package io.s3d.access.acl;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import org.w3c.dom.Element;

/** A bucket's public access block: four switches, all off when the bucket has none. */
public record PublicAccessBlock(boolean blockPublicAcls, boolean ignorePublicAcls, boolean blockPublicPolicy,
        boolean restrictPublicBuckets) {
    public static final PublicAccessBlock NONE = new PublicAccessBlock(false, false, false, false);

    public byte[] toXml() {
        XmlWriter xml = XmlWriter.document("PublicAccessBlockConfiguration");
        xml.element("BlockPublicAcls", blockPublicAcls).element("IgnorePublicAcls", ignorePublicAcls)
                .element("BlockPublicPolicy", blockPublicPolicy)
                .element("RestrictPublicBuckets", restrictPublicBuckets);
        return xml.finish("PublicAccessBlockConfiguration");
    }

    /** Parses PutPublicAccessBlock's body (also how it is stored); a switch left out is off. */
    public static PublicAccessBlock fromXml(byte[] body) {
        Element root = XmlRequest.parse(body, "PublicAccessBlockConfiguration").root();
        return new PublicAccessBlock(flag(root, "BlockPublicAcls"), flag(root, "IgnorePublicAcls"),
                flag(root, "BlockPublicPolicy"), flag(root, "RestrictPublicBuckets"));
    }

    private static boolean flag(Element root, String name) {
        String text = XmlRequest.childText(root, name);
        if (text == null) {
            return false;
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        };
    }
}
