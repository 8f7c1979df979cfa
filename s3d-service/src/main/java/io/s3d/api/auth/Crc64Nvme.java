package io.s3d.api.auth;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, init and xorout all ones), which S3 calls
 * CRC64NVME. The JDK has no CRC-64, and s3d must not depend on the AWS CRT native library, so it is
 * computed here with slicing-by-8 tables.
 */
final class Crc64Nvme implements Hasher {
    private static final long POLY = 0x9a6c9329ac4bc9b5L;
    private static final long[][] TABLES = new long[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLES[0][i] = crc;
        }
        for (int i = 0; i < 256; i++) {
            long crc = TABLES[0][i];
            for (int t = 1; t < 8; t++) {
                crc = TABLES[0][(int) (crc & 0xff)] ^ (crc >>> 8);
                TABLES[t][i] = crc;
            }
        }
    }

    private static final long[] T0 = TABLES[0];
    private static final long[] T1 = TABLES[1];
    private static final long[] T2 = TABLES[2];
    private static final long[] T3 = TABLES[3];
    private static final long[] T4 = TABLES[4];
    private static final long[] T5 = TABLES[5];
    private static final long[] T6 = TABLES[6];
    private static final long[] T7 = TABLES[7];
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc = ~0L;

    @Override
    public void update(byte[] b, int off, int len) {
        long c = crc;
        int i = off;
        int end = off + len;
        long[] t0 = T0;
        long[] t1 = T1;
        long[] t2 = T2;
        long[] t3 = T3;
        long[] t4 = T4;
        long[] t5 = T5;
        long[] t6 = T6;
        long[] t7 = T7;
        while (end - i >= 8) {
            c ^= (long) LONG_LE.get(b, i);
            c = t7[(int) c & 0xff] ^ t6[(int) (c >>> 8) & 0xff] ^ t5[(int) (c >>> 16) & 0xff]
                    ^ t4[(int) (c >>> 24) & 0xff] ^ t3[(int) (c >>> 32) & 0xff] ^ t2[(int) (c >>> 40) & 0xff]
                    ^ t1[(int) (c >>> 48) & 0xff] ^ t0[(int) (c >>> 56) & 0xff];
            i += 8;
        }
        while (i < end) {
            c = t0[(int) (c ^ b[i]) & 0xff] ^ (c >>> 8);
            i++;
        }
        crc = c;
    }

    /** The current value after the final xor. */
    long value() {
        return ~crc;
    }

    @Override
    public byte[] digest() {
        long v = value();
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }
}
