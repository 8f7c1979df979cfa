package io.s3d.sync;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Tells the folder's loop soon after something changes under the local directory: a WatchService
 * on every directory (new directories are registered as they appear). It only triggers passes; the
 * pass's full scan decides what changed, so a lost event (overflow, a directory not yet watched)
 * costs at most one interval, never a change. When the system runs out of watches the folder
 * falls back to the interval alone, with a warning.
 */
final class LocalWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalWatcher.class);

    private final Path root;
    private final Predicate<String> reserved;
    private final Runnable onChange;
    private final WatchService service;
    private final Thread thread;
    private volatile boolean gaveUp;

    private LocalWatcher(Path root, Predicate<String> reserved, Runnable onChange, String name) throws IOException {
        this.root = root;
        this.reserved = reserved;
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        registerTree(root);
        this.thread = Thread.ofPlatform().daemon().name("s3d-sync-watch-" + name).start(this::run);
    }

    static LocalWatcher start(Path root, Predicate<String> reserved, Runnable onChange, String name)
            throws IOException {
        return new LocalWatcher(root, reserved, onChange, name);
    }

    private void registerTree(Path top) throws IOException {
        if (gaveUp) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root) && reserved.test(root.relativize(dir).toString().replace('\\', '/'))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                try {
                    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                            StandardWatchEventKinds.ENTRY_MODIFY);
                } catch (IOException e) {
                    gaveUp = true;
                    LOG.warnf("cannot watch %s (%s): changes under %s are found by the periodic scan only", dir,
                            e.getMessage(), root);
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = false;
                Path dir = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        relevant = true;
                        continue;
                    }
                    Path child = dir.resolve((Path) event.context());
                    String relative = root.relativize(child).toString().replace('\\', '/');
                    if (reserved.test(relative)) {
                        continue;
                    }
                    relevant = true;
                    if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                            && Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            registerTree(child);
                        } catch (IOException e) {
                            LOG.debugf("cannot watch new directory %s: %s", child, e.getMessage());
                        }
                    }
                }
                key.reset();
                if (relevant) {
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stop) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debugf("closing the watch service of %s: %s", root, e.getMessage());
        }
        thread.interrupt();
    }
}
