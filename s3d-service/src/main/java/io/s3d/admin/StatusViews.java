package io.s3d.admin;

import io.s3d.gateway.Gateway;
import io.s3d.queue.WriteQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the admin API's status document into the status page's view: sizes, ages and ratios for people. */
final class StatusViews {
    private static final int MAX_PARKED_SHOWN = 20;

    private StatusViews() {
    }

    static StatusView of(Map<String, Object> status, Gateway gateway, List<StatusView.BucketView> buckets,
            String bucketsError, StatusView.Page page) {
        Map<String, Object> disk = map(status.get("disk"));
        return new StatusView(str(status.get("version")), str(status.get("mode")),
                age(num(status.get("uptimeSeconds"))), str(status.get("localDir")),
                bytes(num(disk.get("freeBytes"))), bytes(num(disk.get("totalBytes"))),
                remote(map(status.get("remote"))), queue(map(status.get("writeQueue")), gateway),
                cache(map(status.get("readCache"))), folders(map(status.get("sync"))), fuse(map(status.get("fuse"))),
                buckets, bucketsError, page);
    }

    private static StatusView.RemoteView remote(Map<String, Object> remote) {
        if (remote.isEmpty()) {
            return null;
        }
        return new StatusView.RemoteView(str(remote.get("endpoint")), Boolean.TRUE.equals(remote.get("reachable")),
                (String) remote.get("lastError"));
    }

    private static StatusView.QueueView queue(Map<String, Object> q, Gateway gateway) {
        if (q.isEmpty()) {
            return null;
        }
        List<StatusView.ParkedView> parked = new ArrayList<>();
        gateway.writeQueue().ifPresent(service -> {
            for (WriteQueue.Entry e : service.queue().entries(null, null, true, MAX_PARKED_SHOWN)) {
                parked.add(new StatusView.ParkedView(e.bucket(), e.key(), e.op().name(), e.error()));
            }
        });
        return new StatusView.QueueView(num(q.get("items")), bytes(num(q.get("bytes"))), num(q.get("parked")),
                age(num(q.get("oldestAgeSeconds"))), num(q.get("pushed")), (String) q.get("lastError"), parked);
    }

    private static StatusView.CacheView cache(Map<String, Object> c) {
        if (c.isEmpty()) {
            return null;
        }
        long served = num(c.get("bytesFromCache"));
        long fetched = num(c.get("bytesFetched"));
        long hits = num(c.get("hits"));
        long misses = num(c.get("misses"));
        return new StatusView.CacheView(num(c.get("entries")), bytes(num(c.get("bytes"))), bytes(num(c.get("maxSize"))),
                percent(hits, hits + misses), percent(served, served + fetched), num(c.get("pinnedEntries")),
                bytes(num(c.get("pinnedBytes"))));
    }

    private static List<StatusView.FolderView> folders(Map<String, Object> sync) {
        List<StatusView.FolderView> out = new ArrayList<>();
        if (sync.get("folders") instanceof List<?> folders) {
            for (Object o : folders) {
                Map<String, Object> f = map(o);
                out.add(new StatusView.FolderView(str(f.get("name")), str(f.get("localDir")),
                        str(f.get("bucket")) + "/" + str(f.get("prefix")), str(f.get("state")),
                        f.get("lastSyncTime") == null ? "never" : str(f.get("lastSyncTime")), num(f.get("conflicts")),
                        num(f.get("errors"))));
            }
        }
        return out;
    }

    private static StatusView.FuseView fuse(Map<String, Object> fuse) {
        if (fuse.isEmpty()) {
            return null;
        }
        return new StatusView.FuseView(str(fuse.get("mountPoint")), Boolean.TRUE.equals(fuse.get("mounted")),
                num(fuse.get("openFiles")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }

    /** 1536 → "1.5 KiB". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB", "PiB" };
        double v = n;
        int unit = -1;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    /** 3725 → "1h 2m 5s". */
    static String age(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + d.toMinutesPart() + "m " + d.toSecondsPart() + "s";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m " + d.toSecondsPart() + "s" : d.toSeconds() + "s";
    }
}
