package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    static Path jar;

    /** A jar whose manifest runs {@link FakeService} from the test classes. */
    @BeforeAll
    static void fakeServiceJar(@TempDir Path dir) throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        Path classes = Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classes.toUri().toString());
        jar = dir.resolve("quarkus-run.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }

    @Test
    void dryRunTurnsFlagsIntoSystemProperties() {
        Cli.Result r = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run",
                "--endpoint", "http://0.0.0.0:9000", "--local-dir", "/data/s3d", "--remote", "aws",
                "--write-queue", "--write-queue-max-age", "10m", "--read-cache=false", "--read-cache-block-size", "1M", "--remote-path-style",
                "--fuse-mount-point", "/mnt/x", "-D", "quarkus.log.level=DEBUG", "--jvm-option=-Xmx2g");
        assertEquals(0, r.exit(), r.toString());
        String line = r.out().strip();
        assertTrue(line.endsWith(" -jar " + jar), line);
        for (String expected : List.of("-Xmx2g", "-Ds3d.endpoint=http://0.0.0.0:9000", "-Ds3d.local-dir=/data/s3d",
                "-Ds3d.remote.endpoint=aws", "-Ds3d.write-queue.enabled=true", "-Ds3d.write-queue.max-age=10m",
                "-Ds3d.read-cache.enabled=false", "-Ds3d.read-cache.block-size=1M", "-Ds3d.remote.path-style=true", "-Ds3d.fuse.mount-point=/mnt/x",
                "-Dquarkus.log.level=DEBUG")) {
            assertTrue(List.of(line.split(" ")).contains(expected), expected + " in " + line);
        }
        assertFalse(line.contains("s3d.region"), "unset flags leave the environment and files in charge: " + line);
        assertTrue(line.indexOf("-Xmx2g") < line.indexOf("-jar"), line);
    }

    @Test
    void syncFlagsBecomeOneFolderEach() {
        Cli.Result r = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run", "--sync", "/data/Team Docs=s3://team-docs/shared/",
                "--sync", "/srv/docs=photos", "-D", "s3d.sync.folders.team-docs.direction=upload-only");
        assertEquals(0, r.exit(), r.toString());
        String line = r.out();
        for (String expected : List.of("'-Ds3d.sync.folders.team-docs.local-dir=/data/Team Docs'", "-Ds3d.sync.folders.team-docs.bucket=team-docs",
                "-Ds3d.sync.folders.team-docs.prefix=shared/", "-Ds3d.sync.folders.docs.local-dir=/srv/docs",
                "-Ds3d.sync.folders.docs.bucket=photos", "-Ds3d.sync.folders.docs.prefix=", "-Ds3d.sync.folders.team-docs.direction=upload-only")) {
            assertTrue(line.contains(expected), expected + " in " + line);
        }
        r = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run", "--sync", "/a/docs=b", "--sync", "/b/docs=c");
        assertTrue(r.out().contains("-Ds3d.sync.folders.docs-2.bucket=c"), "two folders of one name: " + r.out());
        r = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run", "--sync", "/srv/docs");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("--sync /srv/docs: expected DIR=BUCKET[/PREFIX]"), r.toString());
    }

    @Test
    void homeIsExpandedAndConfigFilesMustExist(@TempDir Path dir) throws Exception {
        Cli.Result r = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run", "--local-dir", "~/store");
        assertTrue(r.out().contains("-Ds3d.local-dir=" + System.getProperty("user.home") + "/store"), r.out());
        Path conf = Files.writeString(dir.resolve("s3d.properties"), "s3d.region=eu-west-1\n");
        r = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run", "--config", conf.toString());
        assertTrue(r.out().contains("-Dquarkus.config.locations=" + conf.toUri()), r.out());
        r = new Cli().run("run", "--service-jar", jar.toString(), "--config", dir.resolve("missing").toString());
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().contains("no such configuration file"), r.toString());
    }

    @Test
    void theLauncherGetsACommandLineToExecInsteadOfAChildProcess(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan");
        Path report = dir.resolve("report");
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t\n");
        Cli.Result r = new Cli().run("run", "--service-jar", jar.toString(), "--exec-plan", plan.toString(),
                "--access-key-id", "AKID", "--secret-access-key-file", secret.toString(),
                "--jvm-option=-Dfake.report=" + report);
        assertEquals(0, r.exit(), r.toString());
        assertFalse(Files.exists(report), "no daemon started by the CLI itself");
        List<String> entries = List.of(Files.readString(plan).split("\0"));
        assertEquals("env:S3D_SECRET_ACCESS_KEY=s3cr3t", entries.get(0), "the secret stays off the command line");
        assertTrue(entries.get(1).startsWith("arg:") && entries.get(1).endsWith("/bin/java"), entries.toString());
        assertTrue(entries.contains("arg:-Ds3d.access-key-id=AKID"), entries.toString());
        assertEquals(List.of("arg:-jar", "arg:" + jar), entries.subList(entries.size() - 2, entries.size()));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(plan)), "only its owner can read the secret");
    }

    @Test
    void theDaemonsHeapIsCappedUnlessAJvmOptionSizesIt() {
        String line = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run").out();
        java.util.regex.Matcher xmx = java.util.regex.Pattern.compile(" -Xmx(\\d+)m ").matcher(line);
        assertTrue(xmx.find(), line);
        int mib = Integer.parseInt(xmx.group(1));
        assertTrue(mib >= 64 && mib <= 256, line);
        line = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run",
                "--jvm-option=-XX:MaxRAMPercentage=50").out();
        assertFalse(line.contains("-Xmx"), "the user's sizing wins: " + line);
        assertEquals(256L << 20, RunCommand.defaultMaxHeap(16L << 30));
        assertEquals(128L << 20, RunCommand.defaultMaxHeap(512L << 20), "a quarter of a small container");
        assertEquals(64L << 20, RunCommand.defaultMaxHeap(128L << 20), "never below 64 MiB");
    }

    @Test
    void theDaemonGetsTheSerialCollectorAndASmallInitialHeapUnlessAJvmOptionChoosesOtherwise() {
        String line = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run").out();
        assertTrue(line.contains(" -XX:+UseSerialGC "), line);
        assertTrue(line.contains(" -Xms16m "), line);
        assertTrue(line.indexOf("-XX:+UseSerialGC") < line.indexOf("-jar"), line);

        line = new Cli().run("run", "--service-jar", jar.toString(), "--dry-run",
                "--jvm-option=-XX:+UseG1GC", "--jvm-option=-Xms1g").out();
        assertFalse(line.contains("UseSerialGC"), "two collectors would stop the JVM from starting: " + line);
        assertFalse(line.contains("-Xms16m"), "the user's initial heap wins: " + line);
        assertTrue(line.contains(" -XX:+UseG1GC ") && line.contains(" -Xms1g "), line);
        assertTrue(line.contains(" -Xmx"), "the cap stays when only the initial size is given: " + line);
    }

    @Test
    void theDaemonUsesTheAotCacheBesideItsJarOnJdk25() throws Exception {
        Path dir = Files.createTempDirectory("s3d-aot");
        Path serviceJar = Files.createFile(dir.resolve("quarkus-run.jar"));
        assertEquals(List.of(), RunCommand.aotCacheOptions(serviceJar, 25), "no cache trained yet");
        Path cache = Files.createFile(dir.resolve("app.aot"));
        assertEquals(List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off,cds*=off"), RunCommand.aotCacheOptions(serviceJar, 25));
        assertEquals(List.of(), RunCommand.aotCacheOptions(serviceJar, 21), "JDK 21 has no AOT cache");
    }

    @Test
    void missingServiceJar() {
        Cli.Result r = new Cli().env("S3D_SERVICE_JAR", "/nonexistent/quarkus-run.jar").run("run");
        assertEquals(ExitCodes.ERROR, r.exit());
        assertTrue(r.err().startsWith("s3d run: cannot find the s3d service jar (looked for /nonexistent/quarkus-run.jar)"), r.toString());
        assertTrue(r.err().contains("./mvnw -pl s3d-service -am package"), r.toString());
        assertEquals(ExitCodes.USAGE, new Cli().run("run", "--write-queue=maybe").exit());
    }

    @Test
    void runsTheServiceAndReturnsItsExitCode(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        Path secret = Files.writeString(dir.resolve("secret"), "s3cr3t\n");
        Cli.Result r = new Cli().run("run", "--service-jar", jar.toString(), "--local-dir", dir.toString(),
                "--access-key-id", "AKID", "--secret-access-key-file", secret.toString(),
                "--jvm-option=-Dfake.report=" + report, "--jvm-option=-Dfake.exit=7");
        assertEquals(7, r.exit(), r.toString());
        String props = Files.readString(report);
        assertTrue(props.contains("s3d.local-dir=" + dir + "\n"), props);
        assertTrue(props.contains("s3d.access-key-id=AKID\n"), props);
        assertTrue(props.contains("env.S3D_SECRET_ACCESS_KEY=s3cr3t\n"), "the secret goes through the environment: " + props);
        assertFalse(props.contains("s3d.secret"), props);
    }

    @Test
    void sigtermStopsTheServiceGracefully(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        Process cli = new ProcessBuilder(ProcessRunner.javaCommand("run", "--service-jar", jar.toString(),
                "--jvm-option=-Dfake.report=" + report))
                .redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("started")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(dir.resolve("started")), "the service started: " + Files.readString(dir.resolve("out")));
        List<ProcessHandle> children = cli.children().toList();
        assertEquals(1, children.size(), "one child JVM");
        cli.destroy(); // SIGTERM to s3d run, as Ctrl-C or a process manager would
        assertTrue(cli.waitFor(30, TimeUnit.SECONDS), "s3d run exits");
        assertTrue(Files.exists(dir.resolve("graceful")), "the service ran its shutdown hooks");
        assertFalse(children.get(0).isAlive(), "no orphan left");
        assertEquals(143, cli.exitValue(), "the child's exit code (128 + SIGTERM)");
    }
}
