package io.s3d.bench.peer;

import java.net.URI;

/**
 * A started S3 server (or cache) on loopback.
 *
 * @param name     how the report calls it
 * @param process  its process, or null when it runs inside the suite's JVM
 * @param endpoint where S3 clients connect
 */
public record Server(String name, ManagedProcess process, URI endpoint) implements AutoCloseable {
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
