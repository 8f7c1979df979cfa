package io.s3d.store;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One listing page over a bucket directory: keys in order, rolled up into common prefixes. */
final class LocalListing {
    private final KeyWalker walker;
    private final Path bucketDir;

    LocalListing(KeyWalker walker, Path bucketDir) {
        this.walker = walker;
        this.bucketDir = bucketDir;
    }

    ListPage page(ListRequest request, Function<Path, ObjectMeta> metaReader) throws IOException {
        String prefix = request.prefix();
        String delimiter = request.delimiter();
        List<ObjectMeta> objects = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        KeyWalker.Bound bound = KeyOrder.compare(request.startAfter(), prefix) >= 0
                ? new KeyWalker.Bound(KeyWalker.BoundKind.AFTER, request.startAfter())
                : new KeyWalker.Bound(KeyWalker.BoundKind.AT_OR_AFTER, prefix);
        String startAfter = request.startAfter();
        int delimiterInMarker = delimiter == null || !startAfter.startsWith(prefix) ? -1
                : startAfter.indexOf(delimiter, prefix.length());
        if (delimiterInMarker >= 0) {
            // The marker is a common prefix we returned (or lies inside one): everything under it was rolled up.
            bound = new KeyWalker.Bound(KeyWalker.BoundKind.AFTER_PREFIX,
                    startAfter.substring(0, delimiterInMarker + delimiter.length()));
        }
        String last = null;
        while (true) {
            KeyWalker.Found found = walker.first(bucketDir, bound);
            if (found == null || !found.key().startsWith(prefix)) {
                return new ListPage(objects, prefixes, false, null);
            }
            if (objects.size() + prefixes.size() >= request.maxKeys()) {
                return new ListPage(objects, prefixes, request.maxKeys() > 0 || last != null, last);
            }
            int at = delimiter == null ? -1 : found.key().indexOf(delimiter, prefix.length());
            if (at >= 0) {
                String commonPrefix = found.key().substring(0, at + delimiter.length());
                prefixes.add(commonPrefix);
                last = commonPrefix;
                bound = new KeyWalker.Bound(KeyWalker.BoundKind.AFTER_PREFIX, commonPrefix);
                continue;
            }
            ObjectMeta meta = metaReader.apply(found.file());
            if (meta != null) {
                objects.add(meta);
            }
            last = found.key();
            bound = new KeyWalker.Bound(KeyWalker.BoundKind.AFTER, found.key());
        }
    }
}
