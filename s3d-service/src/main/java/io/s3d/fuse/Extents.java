package io.s3d.fuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A set of byte ranges {@code [from, to)} of a file, kept sorted and merged. */
final class Extents {
    /** Start of each range to its end (exclusive); ranges neither overlap nor touch. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    void add(long from, long to) {
        if (from >= to) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(from)) != null && next.getKey() <= to) {
            to = Math.max(to, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(from, to);
    }

    /** Drops everything at or past {@code end}. */
    void clip(long end) {
        Map.Entry<Long, Long> before = ranges.lowerEntry(end);
        ranges.tailMap(end, true).clear();
        if (before != null && before.getValue() > end) {
            ranges.put(before.getKey(), end);
        }
    }

    /** Whether any byte of {@code [from, to)} is in the set. */
    boolean intersects(long from, long to) {
        if (from >= to) {
            return false;
        }
        Map.Entry<Long, Long> before = ranges.lowerEntry(to);
        return before != null && before.getValue() > from;
    }

    /** The ranges of {@code [from, to)} not in the set, in order. */
    List<long[]> gaps(long from, long to) {
        List<long[]> out = new ArrayList<>();
        if (from >= to) {
            return out;
        }
        long at = from;
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() > at) {
            at = before.getValue();
        }
        for (Map.Entry<Long, Long> range : ranges.subMap(from, false, to, false).entrySet()) {
            if (range.getKey() > at) {
                out.add(new long[] {at, range.getKey()});
            }
            at = Math.max(at, range.getValue());
        }
        if (at < to) {
            out.add(new long[] {at, to});
        }
        return out;
    }

    void clear() {
        ranges.clear();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
