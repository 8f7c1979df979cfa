package io.s3d.sync;

/**
 * What one path was on both sides when it was last in sync: the local file's size, modification
 * time and inode, and the object's ETag and size.
 */
record StateEntry(long localSize, long localMtimeNanos, long inode, String etag, long remoteSize) {
}
