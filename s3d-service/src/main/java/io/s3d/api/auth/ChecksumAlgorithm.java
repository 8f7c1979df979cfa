package io.s3d.api.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The additional checksums S3 accepts on uploads, with the names S3 uses in headers and XML. */
public enum ChecksumAlgorithm {
    CRC32("ChecksumCRC32", 4),
    CRC32C("ChecksumCRC32C", 4),
    CRC64NVME("ChecksumCRC64NVME", 8),
    SHA1("ChecksumSHA1", 20),
    SHA256("ChecksumSHA256", 32);

    private final String xmlName;
    private final String headerName;
    private final int digestLength;

    ChecksumAlgorithm(String xmlName, int digestLength) {
        this.xmlName = xmlName;
        this.headerName = "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
        this.digestLength = digestLength;
    }

    /** The header carrying the value, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return headerName;
    }

    /** The XML element name, e.g. {@code ChecksumCRC32}. */
    public String xmlName() {
        return xmlName;
    }

    /** Length of the raw (not base64) checksum in bytes. */
    public int digestLength() {
        return digestLength;
    }

    /** A fresh incremental hasher for this algorithm; not thread-safe. */
    public Hasher newHasher() {
        return switch (this) {
            case CRC32 -> new CrcHasher(new CRC32(), 4);
            case CRC32C -> new CrcHasher(new CRC32C(), 4);
            case CRC64NVME -> new Crc64Nvme();
            case SHA1 -> new DigestHasher("SHA-1");
            case SHA256 -> new DigestHasher("SHA-256");
        };
    }

    /** Accepts {@code CRC32}, {@code crc32c}, and header names such as {@code x-amz-checksum-sha1}. */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.startsWith("x-amz-checksum-")) {
            n = n.substring("x-amz-checksum-".length());
        }
        for (ChecksumAlgorithm a : values()) {
            if (a.name().toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** java.util.zip CRCs, written big-endian in the width S3 uses. */
    private static final class CrcHasher implements Hasher {
        private final Checksum crc;
        private final int width;

        CrcHasher(Checksum crc, int width) {
            this.crc = crc;
            this.width = width;
        }

        @Override
        public void update(byte[] b, int off, int len) {
            crc.update(b, off, len);
        }

        @Override
        public byte[] digest() {
            long v = crc.getValue();
            byte[] out = new byte[width];
            for (int i = width - 1; i >= 0; i--) {
                out[i] = (byte) v;
                v >>>= 8;
            }
            return out;
        }
    }

    private static final class DigestHasher implements Hasher {
        private final MessageDigest digest;

        DigestHasher(String algorithm) {
            try {
                digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has " + algorithm, e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        public byte[] digest() {
            return digest.digest();
        }
    }
}
