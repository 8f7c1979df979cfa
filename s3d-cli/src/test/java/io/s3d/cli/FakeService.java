package io.s3d.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stands in for the daemon's jar in {@link RunCommandTest}: records the s3d.* system
 * properties and one environment variable it was given, then exits with the code asked for,
 * or waits to be stopped and records that it shut down gracefully.
 */
public final class FakeService {
    private FakeService() {
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(System.getProperty("fake.report"));
        Map<String, String> props = new TreeMap<>();
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("s3d.") || k.toString().startsWith("quarkus.")) {
                props.put(k.toString(), v.toString());
            }
        });
        props.put("env.S3D_SECRET_ACCESS_KEY", String.valueOf(System.getenv("S3D_SECRET_ACCESS_KEY")));
        StringBuilder sb = new StringBuilder();
        props.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(report, sb.toString());
        String exit = System.getProperty("fake.exit");
        if (exit != null) {
            System.exit(Integer.parseInt(exit));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(300); // a graceful stop takes a moment
                Files.writeString(report.resolveSibling("graceful"), "stopped");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        Files.writeString(report.resolveSibling("started"), "yes");
        Thread.sleep(60_000);
        System.exit(3);
    }
}
