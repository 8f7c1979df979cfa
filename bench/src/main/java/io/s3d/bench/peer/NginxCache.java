package io.s3d.bench.peer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's nginx with {@code proxy_cache} in front of a remote S3 endpoint: the peer of s3d's read
 * cache. It keeps the client's Host header so SigV4 signatures stay valid at the remote, keys the
 * cache on method and URI (not on the per-request signature), and caches 200 answers for an hour
 * whatever the remote's cache headers say. HEAD is not turned into GET (the signature covers the
 * method). Range requests are not part of its rows: a cached range needs the slice module and an
 * unsigned Range header, which SigV4 clients do not send.
 */
public final class NginxCache {

    /** Where Debian installs it. */
    public static final Path NGINX = Path.of("/usr/sbin/nginx");

    private NginxCache() {
    }

    /** Whether nginx is installed. */
    public static boolean available() {
        return Files.isExecutable(NGINX);
    }

    /** Starts nginx on a free loopback port with its prefix, config and cache under {@code dir}. */
    public static Server start(String name, Path dir, URI remote) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("cache"));
        Files.createDirectories(dir.resolve("temp"));
        int port = ManagedProcess.freePort();
        String d = dir.toAbsolutePath().toString();
        String conf = """
                worker_processes 2;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/temp/body;
                  proxy_temp_path %1$s/temp/proxy;
                  fastcgi_temp_path %1$s/temp/fastcgi;
                  uwsgi_temp_path %1$s/temp/uwsgi;
                  scgi_temp_path %1$s/temp/scgi;
                  proxy_cache_path %1$s/cache levels=1:2 keys_zone=s3:16m max_size=8g inactive=60m use_temp_path=off;
                  upstream remote { server %2$s:%3$d; keepalive 64; }
                  server {
                    listen 127.0.0.1:%4$d;
                    client_max_body_size 0;
                    location / {
                      proxy_pass http://remote;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_set_header Host $http_host;
                      proxy_request_buffering off;
                      proxy_buffering on;
                      proxy_max_temp_file_size 0;
                      proxy_cache s3;
                      proxy_cache_key "$request_method $request_uri";
                      proxy_cache_convert_head off;
                      proxy_cache_methods GET HEAD;
                      proxy_cache_valid 200 60m;
                      proxy_ignore_headers Cache-Control Expires Set-Cookie X-Accel-Expires;
                      proxy_cache_lock on;
                      proxy_cache_lock_timeout 120s;
                      proxy_read_timeout 300s;
                      add_header X-Cache-Status $upstream_cache_status;
                    }
                  }
                }
                """.formatted(d, remote.getHost(), remote.getPort(), port);
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        ManagedProcess p = ManagedProcess.start(name, List.of(NGINX.toString(), "-p", d, "-c",
                confFile.toAbsolutePath().toString(), "-e", d + "/logs/error.log"), dir, Map.of(), null);
        URI uri = URI.create("http://127.0.0.1:" + port);
        try {
            p.awaitHttp(uri, Duration.ofSeconds(20));
        } catch (IOException e) {
            p.close();
            throw e;
        }
        return new Server(name, p, uri);
    }

    /** The nginx version line, for the report. */
    public static String version() {
        try {
            Process p = new ProcessBuilder(NGINX.toString(), "-v").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v.replace("nginx version: ", "");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
