package io.s3d.bench.fuse;

import io.s3d.bench.load.S3Ops;
import java.io.IOException;

/** The S3 API of the same daemon: one request per operation, through the suite's lean client. */
final class ApiTarget implements Target {
    private final S3Ops s3;
    private final String bucket;
    private final String prefix;
    private final byte[] buf = new byte[1 << 20];
    private String randomKey;

    ApiTarget(S3Ops s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public String label() {
        return "S3 API (same s3d)";
    }

    @Override
    public void mkdir(String dir) {
        // prefixes need nothing
    }

    @Override
    public void write(String name, long bytes) throws IOException {
        s3.put(bucket, prefix + name, bytes);
    }

    @Override
    public long read(String name, long bytes) throws IOException {
        return s3.get(bucket, prefix + name, false, 0, bytes, buf);
    }

    @Override
    public void openForRandomReads(String name) {
        randomKey = prefix + name;
    }

    @Override
    public void readAt(long offset, byte[] dst) throws IOException {
        s3.get(bucket, randomKey, true, offset, dst.length, buf);
    }

    @Override
    public void create(String name) throws IOException {
        s3.put(bucket, prefix + name, 0);
    }

    @Override
    public long stat(String name) throws IOException {
        return s3.head(bucket, prefix + name);
    }

    @Override
    public long list(String dir) throws IOException {
        long n = 0;
        String token = null;
        do {
            S3Ops.Page page = s3.list(bucket, prefix + dir + "/", token, 1000);
            n += page.keyCount();
            token = page.nextToken();
        } while (token != null);
        return n;
    }

    @Override
    public void close() {
        s3.close();
    }
}
