package io.s3d.bench.peer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy 4.1 as a separate process: on the filesystem provider (the peer of s3d's local store) or
 * on the {@code aws-s3} provider pointed at another S3 endpoint (a pass-through gateway).
 */
public final class S3ProxyPeer {

    private S3ProxyPeer() {
    }

    /** S3Proxy storing objects as files under {@code dir/data}. */
    public static Server filesystem(String name, Path jar, Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        return start(name, jar, dir, List.of("jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data.toAbsolutePath(),
                "jclouds.identity=" + Credentials.ACCESS_KEY, "jclouds.credential=" + Credentials.SECRET_KEY));
    }

    /** S3Proxy forwarding every request to {@code remote} through its AWS SDK provider. */
    public static Server gateway(String name, Path jar, Path dir, URI remote) throws IOException {
        return start(name, jar, dir, List.of("jclouds.provider=aws-s3-sdk", "jclouds.endpoint=" + remote,
                "jclouds.region=us-east-1",
                "jclouds.identity=" + Credentials.ACCESS_KEY, "jclouds.credential=" + Credentials.SECRET_KEY));
    }

    private static Server start(String name, Path jar, Path dir, List<String> provider) throws IOException {
        Files.createDirectories(dir);
        int port = ManagedProcess.freePort();
        List<String> conf = new ArrayList<>(List.of("s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + Credentials.ACCESS_KEY,
                "s3proxy.credential=" + Credentials.SECRET_KEY));
        conf.addAll(provider);
        Path props = dir.resolve("s3proxy.conf");
        Files.write(props, conf);
        Path gc = dir.resolve(name + "-gc.log");
        List<String> cmd = List.of(Jvm.java(), ManagedProcess.gcLogOption(gc), "-jar", jar.toAbsolutePath().toString(),
                "--properties", props.toAbsolutePath().toString());
        ManagedProcess p = ManagedProcess.start(name, cmd, dir, Map.of(), gc);
        URI uri = URI.create("http://127.0.0.1:" + port);
        try {
            p.awaitHttp(uri, Duration.ofSeconds(60));
        } catch (IOException e) {
            p.close();
            throw e;
        }
        return new Server(name, p, uri);
    }
}
