package io.s3d.sync;

import io.s3d.store.DurableFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A folder's last-synced snapshot, one line a path, kept in {@code <state-dir>/state}. Read and
 * written as a stream (never the whole file in memory); written to a temporary file, fsynced and
 * renamed over the old one, so a crash leaves the old snapshot or the new one, never half of one.
 * A file without its end line (cut short) is not trusted: the folder then syncs as if for the first
 * time, which never deletes (see {@link SyncPlanner}).
 */
final class SyncState {
    static final String FILE = "state";
    /** Version 2 stores the inode number ({@code st_ino}). */
    private static final String HEADER = "s3d-sync-state 2";
    /**
     * Version 1 stored a hash of the file key, device number included: read with the inode unknown
     * (0), which the next pass replaces with the real one without counting it as a change.
     */
    private static final String HEADER_V1 = "s3d-sync-state 1";
    private static final String END = "end ";

    private SyncState() {
    }

    /** Reads the snapshot; empty when there is none yet or it cannot be trusted. */
    static Map<String, StateEntry> load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        Map<String, StateEntry> entries = new HashMap<>();
        if (!Files.exists(file)) {
            return entries;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            boolean v1 = HEADER_V1.equals(header);
            if (!v1 && !HEADER.equals(header)) {
                throw new IOException("not a sync state file (unknown header): " + file);
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(END)) {
                    long count = Long.parseLong(line.substring(END.length()).trim());
                    if (count != entries.size()) {
                        throw new IOException("sync state " + file + " holds " + entries.size() + " entries, not "
                                + count);
                    }
                    return entries;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 6) {
                    throw new IOException("sync state " + file + " has a malformed line");
                }
                entries.put(unescape(f[0]), new StateEntry(Long.parseLong(f[1]), Long.parseLong(f[2]),
                        v1 ? 0 : Long.parseLong(f[3]), f[4], Long.parseLong(f[5])));
            }
        } catch (NumberFormatException e) {
            throw new IOException("sync state " + file + " has a malformed number: " + e.getMessage(), e);
        }
        throw new IOException("sync state " + file + " is cut short (no end line)");
    }

    /**
     * Replaces the snapshot atomically and durably. Give it a map nothing else writes to (a copy of
     * a live one): the end line counts the lines written, so the file stays readable either way.
     */
    static void save(Path dir, Map<String, StateEntry> entries) throws IOException {
        Files.createDirectories(dir);
        Path temp = dir.resolve(FILE + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                            StandardCharsets.UTF_8), 64 * 1024)) {
                out.write(HEADER);
                out.write('\n');
                long written = 0;
                for (Map.Entry<String, StateEntry> e : entries.entrySet()) {
                    written++;
                    StateEntry s = e.getValue();
                    out.write(escape(e.getKey()));
                    out.write('\t' + Long.toString(s.localSize()) + '\t' + s.localMtimeNanos() + '\t' + s.inode() + '\t'
                            + s.etag() + '\t' + s.remoteSize() + '\n');
                }
                // The lines written, not entries.size(): a map changed meanwhile must not make the file
                // unreadable.
                out.write(END + written + '\n');
                out.flush();
                channel.force(true);
            }
            Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Tabs, line breaks and {@code %} would break the line format: they are percent-escaped. */
    static String escape(String path) {
        if (path.indexOf('%') < 0 && path.indexOf('\t') < 0 && path.indexOf('\n') < 0 && path.indexOf('\r') < 0) {
            return path;
        }
        return path.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    static String unescape(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        return text.replace("%09", "\t").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
    }
}
