package io.s3d.queue;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectMeta;
import io.s3d.store.KeyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A listing page as clients of the queue must see it: the remote's page with queued objects added
 * (or their newer size and ETag shown) and queued deletes hidden. Only queued keys inside the
 * range the remote page covers are merged; the rest belong to later pages.
 */
final class ListingMerge {
    private ListingMerge() {
    }

    static ListPage merge(ListRequest request, ListPage remote, NavigableMap<String, WriteQueue.Pending> pending) {
        if (pending.isEmpty() || request.maxKeys() <= 0) {
            return remote;
        }
        TreeMap<String, ObjectMeta> objects = new TreeMap<>(KeyOrder.COMPARATOR);
        remote.objects().forEach(o -> objects.put(o.key(), o));
        TreeSet<String> prefixes = new TreeSet<>(KeyOrder.COMPARATOR);
        prefixes.addAll(remote.commonPrefixes());
        String bound = remote.truncated() ? remote.nextStartAfter() : null;
        String delimiter = request.delimiter();
        for (Map.Entry<String, WriteQueue.Pending> e : pending.entrySet()) {
            String key = e.getKey();
            WriteQueue.Pending p = e.getValue();
            int cut = delimiter == null ? -1 : key.indexOf(delimiter, request.prefix().length());
            if (cut >= 0) {
                String common = key.substring(0, cut + delimiter.length());
                if (p.op() == QueueItem.Op.PUT && KeyOrder.compare(common, request.startAfter()) > 0
                        && (bound == null || KeyOrder.compare(common, bound) <= 0)) {
                    prefixes.add(common);
                }
                continue;
            }
            if (bound != null && KeyOrder.compare(key, bound) > 0) {
                continue;
            }
            switch (p.op()) {
                case DELETE -> objects.remove(key);
                case PUT -> objects.put(key, new ObjectMeta(key, p.size(), p.etag(), p.lastModified(), Map.of(),
                        Map.of(), Map.of(), Map.of(), 0, p.etag()));
                case TAGS -> {
                }
            }
        }
        List<ObjectMeta> outObjects = new ArrayList<>();
        List<String> outPrefixes = new ArrayList<>();
        var keys = objects.values().iterator();
        var commons = prefixes.iterator();
        ObjectMeta nextKey = keys.hasNext() ? keys.next() : null;
        String nextCommon = commons.hasNext() ? commons.next() : null;
        String last = null;
        int taken = 0;
        boolean more = false;
        while (nextKey != null || nextCommon != null) {
            if (taken >= request.maxKeys()) {
                more = true;
                break;
            }
            if (nextCommon == null || (nextKey != null && KeyOrder.compare(nextKey.key(), nextCommon) < 0)) {
                outObjects.add(nextKey);
                last = nextKey.key();
                nextKey = keys.hasNext() ? keys.next() : null;
            } else {
                outPrefixes.add(nextCommon);
                last = nextCommon;
                nextCommon = commons.hasNext() ? commons.next() : null;
            }
            taken++;
        }
        boolean truncated = more || remote.truncated();
        String next = truncated ? (more || last != null ? last : bound) : null;
        if (truncated && !more && last != null && bound != null && KeyOrder.compare(bound, last) > 0) {
            // Queued deletes hid the remote's last entries: go on after what the remote covered.
            next = bound;
        }
        return new ListPage(outObjects, outPrefixes, truncated, next);
    }
}
