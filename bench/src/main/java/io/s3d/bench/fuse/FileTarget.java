package io.s3d.bench.fuse;

import io.s3d.bench.load.Content;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A directory tree: the FUSE mount, or a local directory as the reference. {@code fsync}: whether a
 * written file is fsync'ed before close — on the local disk that is what makes it as durable as an
 * object s3d stored; on the mount {@code close} itself stores the file (an fsync would store it twice).
 */
final class FileTarget implements Target {
    private static final int CHUNK = 1 << 20;

    private final String label;
    private final Path root;
    private final boolean fsync;
    private final byte[] buf = new byte[CHUNK];
    private FileChannel randomFile;
    private String randomName;

    FileTarget(String label, Path root, boolean fsync) {
        this.label = label;
        this.root = root;
        this.fsync = fsync;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public void mkdir(String dir) throws IOException {
        Files.createDirectories(root.resolve(dir));
    }

    @Override
    public void write(String name, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(root.resolve(name), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
             InputStream in = Content.stream(name, bytes)) {
            int n;
            while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
                ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            if (fsync) {
                ch.force(true);
            }
        }
    }

    @Override
    public long read(String name, long bytes) throws IOException {
        try (InputStream in = Files.newInputStream(root.resolve(name))) {
            return Content.verify(name, 0, bytes, in, buf);
        }
    }

    @Override
    public boolean patch(String name, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(root.resolve(name), StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b, offset + b.position());
            }
            if (fsync) {
                ch.force(true);
            }
        }
        return true;
    }

    @Override
    public void openForRandomReads(String name) throws IOException {
        if (randomFile != null) {
            randomFile.close();
        }
        randomFile = FileChannel.open(root.resolve(name), StandardOpenOption.READ);
        randomName = name;
    }

    @Override
    public void readAt(long offset, byte[] dst) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst);
        while (b.hasRemaining()) {
            if (randomFile.read(b, offset + b.position()) < 0) {
                throw new IOException(label + ": end of " + randomName + " at " + (offset + b.position()));
            }
        }
        Content.verify(randomName, offset, dst.length, new ByteArrayInputStream(dst), buf);
    }

    @Override
    public void create(String name) throws IOException {
        Files.newByteChannel(root.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    }

    @Override
    public long stat(String name) throws IOException {
        return Files.readAttributes(root.resolve(name), BasicFileAttributes.class).size();
    }

    @Override
    public long list(String dir) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(dir))) {
            for (Path ignored : entries) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (randomFile != null) {
            randomFile.close();
        }
    }
}
