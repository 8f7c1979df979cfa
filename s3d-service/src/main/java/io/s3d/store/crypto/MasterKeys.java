package io.s3d.store.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The master keys s3d encrypts data keys with (SSE-S3 and SSE-KMS). From a key file (lines
 * {@code name = base64 of 32 bytes}, {@code #} comments; the key named {@value #DEFAULT} serves
 * SSE-S3 and SSE-KMS without a key id), or, without one, a single {@value #DEFAULT} key s3d
 * generates on first use and keeps in a 0600 file under the data directory.
 */
public final class MasterKeys {
    /** The key SSE-S3 (and SSE-KMS without a key id) uses. */
    public static final String DEFAULT = "default";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./:-]{0,255}");

    private final Map<String, WrappingKey.Master> keys;
    private final Path generatedFile;

    private MasterKeys(Map<String, WrappingKey.Master> keys, Path generatedFile) {
        this.keys = keys;
        this.generatedFile = generatedFile;
    }

    /**
     * Reads a key file; IllegalArgumentException naming the file, the line and the key, and what
     * is wrong (unreadable, bad base64, not 32 bytes, no default key, a name twice).
     */
    public static MasterKeys fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("s3d.encryption.key-file (S3D_ENCRYPTION_KEY_FILE): cannot read " + file
                    + ": " + e, e);
        }
        return parse(text, "s3d.encryption.key-file (S3D_ENCRYPTION_KEY_FILE): " + file);
    }

    static MasterKeys parse(String text, String source) {
        Map<String, WrappingKey.Master> keys = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException(where + ": expected 'name = base64 of 32 bytes'");
            }
            String name = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": key name '" + name + "' is not valid (letters, digits "
                        + "and _ . / : -, starting with a letter or digit)");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": key '" + name + "' is not valid base64: "
                        + e.getMessage());
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException(where + ": key '" + name + "' is " + bytes.length
                        + " bytes; an AES-256 master key is 32 bytes (openssl rand -base64 32)");
            }
            if (keys.put(name, new WrappingKey.Master(name, EncryptedFormat.aesKey(bytes))) != null) {
                throw new IllegalArgumentException(where + ": key '" + name + "' is defined twice");
            }
        }
        if (!keys.containsKey(DEFAULT)) {
            throw new IllegalArgumentException(source + ": no key named '" + DEFAULT + "' (the one SSE-S3 uses)");
        }
        return new MasterKeys(Map.copyOf(keys), null);
    }

    /** The one default key kept in {@code file}, generated (0600) the first time it is needed. */
    public static MasterKeys generatedIn(Path file) {
        return new MasterKeys(new java.util.concurrent.ConcurrentHashMap<>(), file);
    }

    /** The master key of that name; IllegalStateException when there is none (a key removed from the file). */
    public WrappingKey.Master require(String name) throws IOException {
        WrappingKey.Master key = keys.get(name);
        if (key == null && generatedFile != null && name.equals(DEFAULT)) {
            key = generated();
        }
        if (key == null) {
            throw new IOException("master key '" + name + "' is not in the key file: the objects it encrypted "
                    + "cannot be read until it is put back");
        }
        return key;
    }

    /**
     * The master key an SSE-KMS key id names: the key id itself, the id of a key ARN
     * ({@code arn:aws:kms:…:key/NAME}) or an alias ({@code alias/NAME}, {@code arn:…:alias/NAME}).
     */
    public Optional<String> resolve(String kmsKeyId) {
        if (generatedFile != null) {
            return DEFAULT.equals(kmsKeyId) ? Optional.of(DEFAULT) : Optional.empty();
        }
        if (keys.containsKey(kmsKeyId)) {
            return Optional.of(kmsKeyId);
        }
        for (String marker : new String[] { ":key/", ":alias/", "alias/" }) {
            int at = kmsKeyId.indexOf(marker);
            if (at >= 0) {
                String name = kmsKeyId.substring(at + marker.length());
                if (keys.containsKey(name)) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    private synchronized WrappingKey.Master generated() throws IOException {
        WrappingKey.Master known = keys.get(DEFAULT);
        if (known != null) {
            return known;
        }
        byte[] bytes;
        if (Files.exists(generatedFile)) {
            bytes = Base64.getDecoder().decode(Files.readString(generatedFile, StandardCharsets.US_ASCII).strip());
            if (bytes.length != 32) {
                throw new IOException(generatedFile + " does not hold a 32-byte key");
            }
        } else {
            bytes = DataKeys.random(32);
            Path temp = generatedFile.resolveSibling(generatedFile.getFileName() + ".new");
            Files.createDirectories(generatedFile.getParent());
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, Base64.getEncoder().encodeToString(bytes) + "\n", StandardCharsets.US_ASCII);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, generatedFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            io.s3d.store.DurableFiles.syncDirectory(generatedFile.getParent());
        }
        WrappingKey.Master key = new WrappingKey.Master(DEFAULT, EncryptedFormat.aesKey(bytes));
        keys.put(DEFAULT, key);
        return key;
    }
}
