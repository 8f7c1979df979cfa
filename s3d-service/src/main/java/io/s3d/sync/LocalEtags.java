package io.s3d.sync;

import io.s3d.backend.BoundedInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an object's ETag says about a local file, computed from the file alone: the MD5 of a simple
 * PUT, or the {@code md5-of-part-md5s-N} of a multipart upload when the part size is known.
 */
final class LocalEtags {
    private static final Pattern MD5 = Pattern.compile("[0-9a-f]{32}");
    private static final int BUFFER = 128 * 1024;

    private LocalEtags() {
    }

    /**
     * Compares a file with an ETag: a plain MD5, or a multipart ETag when it has as many parts as
     * the write queue's part size makes of this size. Empty when the ETag says nothing checkable.
     */
    static Optional<Boolean> matches(Path file, long size, String etag, long partSize) throws IOException {
        if (MD5.matcher(etag).matches()) {
            return Optional.of(md5(file, size, size).get(0).equals(etag));
        }
        int dash = etag.lastIndexOf('-');
        if (partSize <= 0 || dash != 32 || !MD5.matcher(etag.substring(0, 32)).matches()) {
            return Optional.empty();
        }
        long parts;
        try {
            parts = Long.parseLong(etag.substring(33));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (parts < 1 || parts != Math.max(1, (size + partSize - 1) / partSize)) {
            return Optional.empty();
        }
        try {
            MessageDigest outer = MessageDigest.getInstance("MD5");
            for (String part : md5(file, size, partSize)) {
                outer.update(HexFormat.of().parseHex(part));
            }
            return Optional.of((HexFormat.of().formatHex(outer.digest()) + "-" + parts).equals(etag));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MD5s of the file's consecutive pieces of {@code piece} bytes (one for an empty file). */
    private static List<String> md5(Path file, long size, long piece) throws IOException {
        try {
            List<String> out = new ArrayList<>();
            MessageDigest digest = MessageDigest.getInstance("MD5");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    InputStream in = new BoundedInput(Channels.newInputStream(channel), size)) {
                byte[] buffer = new byte[BUFFER];
                long inPiece = 0;
                int n;
                while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, Math.max(1, piece - inPiece)))) > 0) {
                    digest.update(buffer, 0, n);
                    inPiece += n;
                    if (inPiece == piece) {
                        out.add(HexFormat.of().formatHex(digest.digest()));
                        inPiece = 0;
                    }
                }
                if (inPiece > 0 || out.isEmpty()) {
                    out.add(HexFormat.of().formatHex(digest.digest()));
                }
            }
            return out;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
