package io.s3d.access.acl;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.w3c.dom.Element;

/**
 * A bucket's object ownership (its OwnershipControls rule). BucketOwnerEnforced, AWS's default for
 * new buckets since April 2023, disables ACLs: the bucket owner owns every object.
 */
public enum Ownership {
    BUCKET_OWNER_ENFORCED("BucketOwnerEnforced"),
    BUCKET_OWNER_PREFERRED("BucketOwnerPreferred"),
    OBJECT_WRITER("ObjectWriter");

    private final String awsName;

    Ownership(String awsName) {
        this.awsName = awsName;
    }

    public String awsName() {
        return awsName;
    }

    /** The value of {@code x-amz-object-ownership} or {@code <ObjectOwnership>}; InvalidArgument otherwise. */
    public static Ownership named(String name) {
        for (Ownership ownership : values()) {
            if (ownership.awsName.equals(name == null ? null : name.trim())) {
                return ownership;
            }
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-object-ownership header: " + name)
                .withElements(java.util.Map.of("ArgumentName", "x-amz-object-ownership",
                        "ArgumentValue", String.valueOf(name)));
    }

    public byte[] toXml() {
        XmlWriter xml = XmlWriter.document("OwnershipControls");
        xml.start("Rule").element("ObjectOwnership", awsName).end("Rule");
        return xml.finish("OwnershipControls");
    }

    /** Parses PutBucketOwnershipControls' body: exactly one rule. MalformedXML otherwise. */
    public static Ownership fromXml(byte[] body) {
        Element root = XmlRequest.parse(body, "OwnershipControls").root();
        List<Element> rules = XmlRequest.children(root, "Rule");
        if (rules.size() != 1) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        String name = XmlRequest.childText(rules.get(0), "ObjectOwnership");
        if (name == null) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        for (Ownership ownership : values()) {
            if (ownership.awsName.equals(name.trim())) {
                return ownership;
            }
        }
        throw new S3Exception(S3ErrorCode.MALFORMED_XML);
    }

    /** How it is stored: its AWS name. */
    public byte[] stored() {
        return awsName.getBytes(StandardCharsets.UTF_8);
    }

    public static Ownership ofStored(byte[] stored) {
        return named(new String(stored, StandardCharsets.UTF_8));
    }
}
