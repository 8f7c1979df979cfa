package io.s3d.bench.suite;

/** What a row of a table stands for. */
public enum Role {
    /** s3d itself: the rows the goals are about. */
    S3D,
    /** What a user would pick instead of s3d. */
    PEER,
    /** A reference that is neither: direct loopback access, standalone s3d next to a WAN row. */
    REFERENCE,
    /** A physical limit of this machine (disk, loopback). */
    LIMIT,
    /** The load generator against a trivial endpoint: the most it can measure. */
    CEILING
}
