package io.s3d.api.xml;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Parses the small XML bodies S3 requests carry (Delete, Tagging, CompleteMultipartUpload,
 * CreateBucketConfiguration). External entities and DTDs are refused; anything that is not
 * well-formed, or not the expected root, is MalformedXML as in S3.
 */
public final class XmlRequest {
    private final Element root;

    private XmlRequest(Element root) {
        this.root = root;
    }

    public static XmlRequest parse(byte[] body, String expectedRoot) {
        if (body.length == 0) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            factory.setXIncludeAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(body));
            Element root = document.getDocumentElement();
            if (!expectedRoot.equals(root.getLocalName())) {
                throw new S3Exception(S3ErrorCode.MALFORMED_XML);
            }
            return new XmlRequest(root);
        } catch (S3Exception e) {
            throw e;
        } catch (Exception e) {
            throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        }
    }

    public Element root() {
        return root;
    }

    /** All direct child elements of an element, in document order. */
    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                out.add(element);
            }
        }
        return out;
    }

    /** Direct children of an element with the given local name. */
    public static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())) {
                out.add(element);
            }
        }
        return out;
    }

    /** Text of the single direct child with that name, or null. */
    public static String childText(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0).getTextContent();
    }
}
