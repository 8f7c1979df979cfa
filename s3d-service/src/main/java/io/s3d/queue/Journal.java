package io.s3d.queue;

import io.s3d.store.DurableFiles;
import io.s3d.telemetry.Traced;
import io.s3d.telemetry.Traces;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The queue on disk: one small file per item, {@code <seq>.item}, written to a temporary file,
 * fsynced and renamed into place (then the directory fsynced) before the write it records is
 * acknowledged. A file that cannot be parsed (torn by a crash before its rename could not happen,
 * so only by outside damage) is set aside as {@code .bad}, never silently dropped.
 */
final class Journal {
    private static final Logger LOG = Logger.getLogger(Journal.class);
    private static final String SUFFIX = ".item";

    private final Path dir;
    private final Path tmp;
    private final GroupSync dirSync;

    Journal(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.dirSync = new GroupSync(dir);
        this.tmp = Files.createDirectories(dir.resolve("tmp"));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path dir() {
        return dir;
    }

    /** Makes the item durable: when this returns, a crash cannot lose it. */
    void write(QueueItem item) {
        try (Traced span = Traces.span("s3d.queue.journal")) {
            span.set("s3d.queue.seq", item.seq()).set("s3d.queue.op", item.op().name());
            Path staging = tmp.resolve(item.seq() + "-" + Thread.currentThread().threadId() + SUFFIX);
            DurableFiles.writeNew(staging, encode(item));
            Files.move(staging, file(item.seq()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            dirSync.sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write queue item " + item.seq() + " in " + dir, e);
        }
    }

    /**
     * Removes pushed items, oldest first. Not fsynced: the file system keeps the order of these
     * unlinks, so a power cut can only bring back a key's oldest pushed items together with the
     * newer ones, and replaying them makes the remote show the key's latest state again.
     */
    void remove(List<QueueItem> items) {
        try {
            for (QueueItem item : items) {
                Files.deleteIfExists(file(item.seq()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove pushed queue items in " + dir, e);
        }
    }

    /** Every item on disk, in queue order. */
    List<QueueItem> load() throws IOException {
        List<QueueItem> items = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    items.add(decode(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (RuntimeException | java.nio.charset.CharacterCodingException e) {
                    Path aside = file.resolveSibling(file.getFileName() + ".bad");
                    if (Files.exists(aside)) {
                        // Sequence numbers restart after a drained queue: keep an older damaged file too.
                        aside = file.resolveSibling(file.getFileName() + "." + System.currentTimeMillis() + ".bad");
                    }
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                    LOG.errorf("write queue: unreadable item %s set aside as %s (%s)", file, aside, e.getMessage());
                }
            }
        }
        items.sort(Comparator.comparingLong(QueueItem::seq));
        return items;
    }

    private Path file(long seq) {
        return dir.resolve(String.format("%020d", seq) + SUFFIX);
    }

    static byte[] encode(QueueItem item) {
        Properties p = new Properties();
        p.setProperty("seq", Long.toString(item.seq()));
        p.setProperty("op", item.op().name());
        p.setProperty("bucket", item.bucket());
        p.setProperty("key", item.key());
        p.setProperty("size", Long.toString(item.size()));
        p.setProperty("etag", item.etag());
        p.setProperty("lastModified", Long.toString(item.lastModified().toEpochMilli()));
        p.setProperty("queuedAt", Long.toString(item.queuedAt().toEpochMilli()));
        p.setProperty("tags", encodeTags(item.tags()));
        if (item.parkedError() != null) {
            p.setProperty("parked", item.parkedError());
        }
        if (item.expect() != null) {
            p.setProperty("expect", item.expect());
        }
        if (item.traceparent() != null) {
            p.setProperty("traceparent", item.traceparent());
        }
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (out + "end=1\n").getBytes(StandardCharsets.UTF_8);
    }

    static QueueItem decode(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"1".equals(p.getProperty("end"))) {
            throw new IllegalArgumentException("truncated item");
        }
        return new QueueItem(Long.parseLong(p.getProperty("seq")), QueueItem.Op.valueOf(p.getProperty("op")),
                p.getProperty("bucket"), p.getProperty("key"), Long.parseLong(p.getProperty("size")),
                p.getProperty("etag"), Instant.ofEpochMilli(Long.parseLong(p.getProperty("lastModified"))),
                Instant.ofEpochMilli(Long.parseLong(p.getProperty("queuedAt"))), decodeTags(p.getProperty("tags")),
                p.getProperty("parked"), p.getProperty("expect"), p.getProperty("traceparent"));
    }

    private static String encodeTags(Map<String, String> tags) {
        StringBuilder out = new StringBuilder();
        tags.forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    private static Map<String, String> decodeTags(String encoded) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return tags;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            tags.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return tags;
    }
}
