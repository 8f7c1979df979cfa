package io.s3d.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ContentTest {

    @Test
    void streamAndBytesAgreeAndDifferPerKey() throws IOException {
        byte[] a = Content.bytes("k1", 3 * Content.PERIOD + 17);
        byte[] s = Content.stream("k1", a.length).readAllBytes();
        assertArrayEquals(a, s);
        assertFalse(Arrays.equals(Arrays.copyOf(a, 4096), Content.bytes("k2", 4096)));
    }

    @Test
    void verifyAcceptsTheRightBytesFromAnyOffset() throws IOException {
        byte[] all = Content.bytes("obj", 100_000);
        byte[] buf = new byte[4096];
        assertEquals(100_000, Content.verify("obj", 0, 100_000, new ByteArrayInputStream(all), buf));
        byte[] tail = Arrays.copyOfRange(all, 60_000, 100_000);
        assertEquals(40_000, Content.verify("obj", 60_000, 40_000, new ByteArrayInputStream(tail), buf));
    }

    @Test
    void verifyRejectsAFlippedByteAWrongKeyAndAWrongLength() {
        byte[] all = Content.bytes("obj", 10_000);
        byte[] buf = new byte[1024];
        byte[] flipped = all.clone();
        flipped[7777] ^= 1;
        assertThrows(Content.ContentMismatchException.class,
                () -> Content.verify("obj", 0, all.length, new ByteArrayInputStream(flipped), buf));
        assertThrows(Content.ContentMismatchException.class,
                () -> Content.verify("other", 0, all.length, new ByteArrayInputStream(all), buf));
        assertThrows(Content.ContentMismatchException.class,
                () -> Content.verify("obj", 0, all.length + 1, new ByteArrayInputStream(all), buf));
        assertThrows(Content.ContentMismatchException.class,
                () -> Content.verify("obj", 0, all.length - 1, new ByteArrayInputStream(all), buf));
    }

    @Test
    void sizesParseAndFormat() {
        assertEquals(4096, Sizes.parse("4k"));
        assertEquals(64L << 20, Sizes.parse("64MiB"));
        assertEquals("64 MiB", Sizes.format(64L << 20));
        assertEquals("4 KiB", Sizes.format(4096));
        assertEquals("100 B", Sizes.format(100));
    }
}
