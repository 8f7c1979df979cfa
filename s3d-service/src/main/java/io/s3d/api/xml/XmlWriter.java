package io.s3d.api.xml;

import java.nio.charset.StandardCharsets;

/** Builds the small XML documents S3 answers with, escaping text as XML 1.0 requires. */
public final class XmlWriter {
    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private final StringBuilder out = new StringBuilder(512);

    private XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** A document whose root element carries the S3 namespace. */
    public static XmlWriter document(String root) {
        XmlWriter writer = new XmlWriter();
        writer.out.append('<').append(root).append(" xmlns=\"").append(NS).append("\">");
        return writer;
    }

    /** A document whose root has no namespace (AWS's Error documents). */
    public static XmlWriter plainDocument(String root) {
        XmlWriter writer = new XmlWriter();
        writer.out.append('<').append(root).append('>');
        return writer;
    }

    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        return this;
    }

    /** An element start with attributes (in the map's order), e.g. an ACL's {@code xsi:type}. */
    public XmlWriter startWithAttributes(String name, java.util.Map<String, String> attributes) {
        out.append('<').append(name);
        attributes.forEach((attribute, value) -> {
            out.append(' ').append(attribute).append("=\"");
            escape(value);
            out.append('"');
        });
        out.append('>');
        return this;
    }

    public XmlWriter end(String name) {
        out.append("</").append(name).append('>');
        return this;
    }

    public XmlWriter element(String name, String text) {
        if (text == null) {
            return this;
        }
        out.append('<').append(name).append('>');
        escape(text);
        return end(name);
    }

    /** Text content directly inside the current element. */
    public XmlWriter text(String text) {
        escape(text);
        return this;
    }

    public XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    public XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    public byte[] finish(String root) {
        end(root);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
