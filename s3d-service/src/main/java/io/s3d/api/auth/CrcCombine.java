package io.s3d.api.auth;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;

/**
 * Combines the CRCs of consecutive pieces into the CRC of their concatenation without reading the
 * bytes again (zlib's {@code crc32_combine}, for any reflected CRC up to 64 bits). S3 uses it for
 * FULL_OBJECT checksums of multipart uploads: the object's CRC from its parts' CRCs and sizes.
 */
public final class CrcCombine {
    private CrcCombine() {
    }

    /** One piece: its CRC (base64, big-endian, as S3 writes it) and its length in bytes. */
    public record Piece(String crcBase64, long length) {
    }

    /** The full-object CRC (base64) of the pieces in order; empty for algorithms that are not CRCs. */
    public static java.util.Optional<String> fullObject(ChecksumAlgorithm algorithm, List<Piece> pieces) {
        long polynomial;
        int width;
        switch (algorithm) {
            case CRC32 -> {
                polynomial = 0xEDB88320L;
                width = 32;
            }
            case CRC32C -> {
                polynomial = 0x82F63B78L;
                width = 32;
            }
            case CRC64NVME -> {
                polynomial = 0x9A6C9329AC4BC9B5L;
                width = 64;
            }
            default -> {
                return java.util.Optional.empty();
            }
        }
        long crc = 0;
        boolean first = true;
        for (Piece piece : pieces) {
            long value = decode(piece.crcBase64(), width);
            crc = first ? value : combine(crc, value, piece.length(), polynomial, width);
            first = false;
        }
        return java.util.Optional.of(encode(crc, width));
    }

    static long combine(long crc1, long crc2, long length2, long polynomial, int width) {
        if (length2 == 0) {
            return crc1;
        }
        long[] even = new long[width];
        long[] odd = new long[width];
        odd[0] = polynomial; // the operator for one zero bit
        long row = 1;
        for (int n = 1; n < width; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd, width); // two zero bits
        square(odd, even, width); // four zero bits
        long result = crc1;
        long remaining = length2;
        do {
            square(even, odd, width); // each round doubles the zero bytes applied
            if ((remaining & 1) != 0) {
                result = times(even, result);
            }
            remaining >>>= 1;
            if (remaining == 0) {
                break;
            }
            square(odd, even, width);
            if ((remaining & 1) != 0) {
                result = times(odd, result);
            }
            remaining >>>= 1;
        } while (remaining != 0);
        return result ^ crc2;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix, int width) {
        for (int n = 0; n < width; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }

    private static long decode(String base64, int width) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
        return width == 32 ? bytes.getInt() & 0xFFFFFFFFL : bytes.getLong();
    }

    private static String encode(long crc, int width) {
        ByteBuffer bytes = ByteBuffer.allocate(width / 8);
        if (width == 32) {
            bytes.putInt((int) crc);
        } else {
            bytes.putLong(crc);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
