package io.s3d.bench.load;

/** What one request of a workload does. */
public enum Op {
    /** PutObject of a new key. */
    PUT,
    /** GetObject of a prepared key, every byte checked. */
    GET,
    /** GetObject with a Range of {@link Workload#rangeSize()} bytes at a random offset, checked. */
    RANGE,
    /** HeadObject of a prepared key, length checked. */
    HEAD,
    /** One ListObjectsV2 page (up to 1000 keys) over the prepared keys. */
    LIST,
    /** 60% GET, 25% PUT, 10% HEAD, 5% LIST, drawn per request. */
    MIXED
}
