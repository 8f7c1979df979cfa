package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system mounted for real over a local store in this JVM (no service around it), to
 * check what a user of the mount sees that the service test cannot arrange: a reader pinned to the
 * version it opened while S3 overwrites the object, a store failure coming back from close(), and
 * how many times a reader reopens the object.
 */
class S3dFileSystemMountTest {
    @TempDir
    static Path dir;

    private static LocalStore store;
    private static S3dFileSystem fs;
    private static Path mnt;
    private static final AtomicBoolean failPuts = new AtomicBoolean();
    /** Streams of object bytes the mount opened in bucket "cached". */
    private static final java.util.concurrent.atomic.AtomicInteger cachedReads =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Lookups (HEAD and LIST) the mount asked the store for in bucket "probed". */
    private static final java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void mount() throws Exception {
        FuseAvailable.assumeFuse();
        store = LocalStore.open(dir.resolve("store"), "us-east-1", 10_000, 0);
        store.createBucket("pinned");
        mnt = Files.createDirectories(dir.resolve("mnt"));
        fs = new S3dFileSystem(failing(store), Files.createDirectories(dir.resolve("staging")), dir, Duration.ofSeconds(1),
                new S3dFileSystem.Owner(0, 0, 0644, 0755), null);
        fs.mount(mnt, false, false, FuseMount.options(Duration.ZERO, false).toArray(String[]::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!FuseAvailable.isMounted(mnt) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(FuseAvailable.isMounted(mnt)).as("mounted at %s", mnt).isTrue();
    }

    @AfterAll
    static void unmount() throws Exception {
        if (fs == null || mnt == null) {
            return;
        }
        fs.umount();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (FuseAvailable.isMounted(mnt) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(FuseAvailable.isMounted(mnt)).as("no mount left at %s", mnt).isFalse();
    }

    /** The store, except that puts fail with SlowDown (a full store or queue) while {@link #failPuts} is set. */
    private static ObjectBackend failing(ObjectBackend real) {
        return (ObjectBackend) Proxy.newProxyInstance(ObjectBackend.class.getClassLoader(),
                new Class<?>[] {ObjectBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("putObject") && failPuts.get()) {
                        throw new S3Exception(S3ErrorCode.SLOW_DOWN);
                    }
                    if ((method.getName().equals("headObject") || method.getName().equals("listObjects"))
                            && "probed".equals(args[0])) {
                        probes.incrementAndGet();
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("getObject") && "cached".equals(args[0])) {
                        return countingOpens((io.s3d.backend.ObjectData) result);
                    }
                    return result;
                });
    }

    private static io.s3d.backend.ObjectData countingOpens(io.s3d.backend.ObjectData real) {
        return (io.s3d.backend.ObjectData) Proxy.newProxyInstance(ObjectBackend.class.getClassLoader(),
                new Class<?>[] {io.s3d.backend.ObjectData.class}, (proxy, method, args) -> {
                    if (method.getName().equals("open")) {
                        cachedReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void put(String bucket, String key, byte[] body) {
        store.putObject(new PutRequest(bucket, key, new ByteArrayInputStream(body), body.length, Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aReaderKeepsTheVersionItOpenedWhileS3OverwritesIt() throws Exception {
        byte[] v1 = random(3 * 1024 * 1024, 1);
        byte[] v2 = random(2 * 1024 * 1024, 2);
        put("pinned", "data.bin", v1);
        try (InputStream in = Files.newInputStream(mnt.resolve("pinned/data.bin"))) {
            byte[] first = in.readNBytes(1024 * 1024);
            put("pinned", "data.bin", v2);
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertThat(all).as("all bytes from the version opened, none of the new one").isEqualTo(v1);
        }
        assertThat(Files.readAllBytes(mnt.resolve("pinned/data.bin"))).as("a new open sees the overwrite").isEqualTo(v2);
    }

    @Test
    void randomReadsReadAtTheirOffsetsAndSequentialReadsUseOneStream() throws Exception {
        byte[] body = random(5 * 1024 * 1024, 3);
        put("pinned", "random.bin", body);
        try (FileChannel ch = FileChannel.open(mnt.resolve("pinned/random.bin"), StandardOpenOption.READ)) {
            for (long offset : new long[] {4_000_000, 17, 2_500_000, 5 * 1024 * 1024 - 10, 0}) {
                ByteBuffer buf = ByteBuffer.allocate(10);
                ch.read(buf, offset);
                assertThat(buf.array()).as("10 bytes at %d", offset)
                        .isEqualTo(Arrays.copyOfRange(body, (int) offset, (int) offset + 10));
            }
        }
        try (InputStream in = Files.newInputStream(mnt.resolve("pinned/random.bin"))) {
            ReadHandle handle = onlyReadHandle();
            assertThat(in.readAllBytes()).isEqualTo(body);
            assertThat(handle.opens()).as("one stream for a sequential read of 5 MiB").isEqualTo(1);
        }
    }

    private static ReadHandle onlyReadHandle() throws Exception {
        var field = S3dFileSystem.class.getDeclaredField("openFiles");
        field.setAccessible(true);
        OpenFiles open = (OpenFiles) field.get(fs);
        for (long id = 1; id < 100_000; id++) {
            if (open.get(id) instanceof ReadHandle r && r.path().key().equals("random.bin")) {
                return r;
            }
        }
        throw new AssertionError("no open read handle");
    }

    @Test
    void closeReportsAStoreThatRefusedTheWriteAsAnIoError() throws Exception {
        Path file = mnt.resolve("pinned/refused.txt");
        OutputStream out = Files.newOutputStream(file);
        out.write("not stored".getBytes());
        failPuts.set(true);
        try {
            assertThatThrownBy(out::close).isInstanceOf(IOException.class).hasMessageContaining("Input/output error");
        } finally {
            failPuts.set(false);
        }
        assertThatThrownBy(() -> store.headObject("pinned", "refused.txt")).isInstanceOf(S3Exception.class);
    }

    @Test
    void fsyncStoresTheFileBeforeClose() throws Exception {
        try (FileChannel ch = FileChannel.open(mnt.resolve("pinned/synced.txt"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("durable".getBytes()));
            ch.force(true);
            ObjectMeta meta = store.headObject("pinned", "synced.txt");
            assertThat(meta.size()).isEqualTo(7);
        }
    }

    @Test
    void aFileBeingWrittenIsListedWithItsSizeBeforeItIsStored() throws Exception {
        Path file = mnt.resolve("pinned/growing.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[1000]);
            out.flush();
            try (Stream<Path> list = Files.list(mnt.resolve("pinned"))) {
                assertThat(list.map(p -> p.getFileName().toString())).contains("growing.log");
            }
            assertThat(Files.size(file)).isEqualTo(1000);
        }
        assertThat(store.headObject("pinned", "growing.log").size()).isEqualTo(1000);
    }

    private static java.util.List<String> storedKeys(String bucket) {
        return store.listObjects(bucket, new io.s3d.backend.ListRequest("", null, "", 1000)).objects().stream()
                .map(ObjectMeta::key).toList();
    }

    @Test
    void unlinkingAFileOpenForReadingDeletesItAtOnceAndTheReaderKeepsItsVersion() throws Exception {
        store.createBucket("unlinked");
        byte[] body = random(2 * 1024 * 1024, 7);
        put("unlinked", "big.log", body);
        Path file = mnt.resolve("unlinked/big.log");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] first = in.readNBytes(1024 * 1024);
            Files.delete(file);
            assertThat(storedKeys("unlinked")).as("deleted at once, no hidden copy").isEmpty();
            assertThat(Files.exists(file)).isFalse();
            // read() only: fstat (which readAllBytes asks first) of an unlinked file answers ENOENT in libfuse 2
            java.io.ByteArrayOutputStream restBytes = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                restBytes.write(buffer, 0, n);
            }
            byte[] rest = restBytes.toByteArray();
            assertThat(first.length + rest.length).isEqualTo(body.length);
            assertThat(Arrays.copyOfRange(body, first.length, body.length)).isEqualTo(rest);
        }
        assertThat(storedKeys("unlinked")).isEmpty();
    }

    @Test
    void unlinkingAFileOpenForWritingDiscardsIt() throws Exception {
        store.createBucket("discarded");
        Path file = mnt.resolve("discarded/scratch.tmp");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("scratch".getBytes()));
            Files.delete(file);
            assertThat(Files.exists(file)).as("gone for stat").isFalse();
            try (Stream<Path> list = Files.list(mnt.resolve("discarded"))) {
                assertThat(list.toList()).as("gone from the listing").isEmpty();
            }
            assertThat(storedKeys("discarded")).as("nothing stored, no hidden copy").isEmpty();
            ch.write(ByteBuffer.wrap(" more".getBytes()));
            ch.force(true);
        }
        assertThat(storedKeys("discarded")).as("still nothing after the close").isEmpty();
    }

    @Test
    void renamingOverAFileOpenForWritingReplacesItAndItsWriterStoresNothing() throws Exception {
        store.createBucket("replaced");
        put("replaced", "new.txt", "new".getBytes());
        Path target = mnt.resolve("replaced/target.txt");
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write("old writer".getBytes());
            Files.move(mnt.resolve("replaced/new.txt"), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThat(storedKeys("replaced")).containsExactly("target.txt");
        }
        assertThat(storedKeys("replaced")).containsExactly("target.txt");
        assertThat(Files.readAllBytes(target)).isEqualTo("new".getBytes());
    }

    @Test
    void aReaderOfANewFileKeepsReadingAfterItsWriterClosed() throws Exception {
        Path file = mnt.resolve("pinned/fresh.txt");
        FileChannel writer = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        writer.write(ByteBuffer.wrap("hello, reader".getBytes()));
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            writer.close();
            ByteBuffer buf = ByteBuffer.allocate(100);
            reader.read(buf, 0);
            assertThat(new String(buf.array(), 0, buf.position())).isEqualTo("hello, reader");
        } finally {
            writer.close();
        }
        assertThat(store.headObject("pinned", "fresh.txt").size()).isEqualTo(13);
        // The kernel sends RELEASE after close() has returned: the last release comes a moment later.
        org.awaitility.Awaitility.await("the staging file is deleted by the last release").atMost(Duration.ofSeconds(10))
                .until(() -> {
                    try (Stream<Path> staged = Files.list(dir.resolve("staging"))) {
                        return staged.findAny().isEmpty();
                    }
                });
    }

    /** A second mount of the same store at {@code name}, for a test that unmounts it. */
    private static S3dFileSystem mountAnother(Path at) throws Exception {
        S3dFileSystem other = new S3dFileSystem(store, Files.createDirectories(dir.resolve("staging-" + at.getFileName())),
                dir, Duration.ofSeconds(1), new S3dFileSystem.Owner(0, 0, 0644, 0755), null);
        other.mount(Files.createDirectories(at), false, false,
                FuseMount.options(Duration.ZERO, false).toArray(String[]::new));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!FuseAvailable.isMounted(at) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(FuseAvailable.isMounted(at)).as("mounted at %s", at).isTrue();
        return other;
    }

    private static void cleanUp(S3dFileSystem other, Path at) throws Exception {
        if (FuseAvailable.isMounted(at)) {
            new ProcessBuilder("fusermount", "-u", "-z", at.toString()).start().waitFor();
            other.umount();
        }
        assertThat(FuseAvailable.isMounted(at)).as("no mount left at %s", at).isFalse();
    }

    /**
     * Another process (as the programs using the mount are) writes {@code text} to {@code file} and
     * keeps it open: a file this JVM had open would be flushed by every child it starts (fusermount),
     * which closes the descriptors it inherited.
     */
    private static Process writeAndKeepOpen(Path file, String text, long closeAfterMillis) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", """
                import os, sys, time
                fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                os.write(fd, sys.argv[2].encode())
                print("written", flush=True)
                time.sleep(int(sys.argv[3]) / 1000)
                os.write(fd, b" and last")
                os.close(fd)
                """, file.toString(), text, String.valueOf(closeAfterMillis)).redirectErrorStream(true).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertThat(line).as("the writer process started").isEqualTo("written");
        return p;
    }

    @Test
    void shutdownStoresAFileStillOpenForWritingBeforeTheMountGoes() throws Exception {
        store.createBucket("shutdown");
        Path at = dir.resolve("mnt-shutdown");
        S3dFileSystem other = mountAnother(at);
        Process writer = writeAndKeepOpen(at.resolve("shutdown/unsaved.log"), "written, never closed", 60_000);
        try {
            assertThatThrownBy(() -> store.headObject("shutdown", "unsaved.log")).as("not stored before")
                    .isInstanceOf(S3Exception.class);
            long start = System.nanoTime();
            FuseMount.unmountAtShutdown(at, other, Duration.ofMillis(500));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for the grace only")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(FuseAvailable.isMounted(at)).as("unmounted").isFalse();
            assertThat(store.headObject("shutdown", "unsaved.log").size()).as("stored before the mount went")
                    .isEqualTo(21);
        } finally {
            writer.destroy();
            writer.waitFor();
            cleanUp(other, at);
        }
    }

    @Test
    void shutdownWaitsForAFileOpenForWritingToBeClosed() throws Exception {
        store.createBucket("drain");
        Path at = dir.resolve("mnt-drain");
        S3dFileSystem other = mountAnother(at);
        Process writer = writeAndKeepOpen(at.resolve("drain/last.log"), "first", 700);
        try {
            FuseMount.unmountAtShutdown(at, other, Duration.ofSeconds(10));
            assertThat(FuseAvailable.isMounted(at)).isFalse();
            assertThat(store.headObject("drain", "last.log").size()).as("all its bytes, when the unmount returns")
                    .isEqualTo(14);
            assertThat(writer.waitFor()).as("the writer's close succeeded").isZero();
        } finally {
            writer.destroy();
            writer.waitFor();
            cleanUp(other, at);
        }
    }

    private static void putDescribed(String bucket, String key, byte[] body) {
        store.putObject(new PutRequest(bucket, key, new ByteArrayInputStream(body), body.length, Optional.empty(),
                Map.of("Content-Type", "text/csv"), Map.of("owner", "finance"), Map.of("class", "secret"), Map::of,
                WriteCondition.NONE));
    }

    private static void assertDescribed(String bucket, String key, boolean tags) {
        ObjectMeta meta = store.headObject(bucket, key);
        assertThat(meta.headers()).as("%s content type", key).containsEntry("Content-Type", "text/csv");
        assertThat(meta.userMetadata()).as("%s user metadata", key).containsEntry("owner", "finance");
        if (tags) {
            assertThat(store.getObjectTags(bucket, key)).as("%s tags", key).containsEntry("class", "secret");
        }
    }

    @Test
    void overwritingTruncatingAndRenamingKeepContentTypeMetadataAndTags() throws Exception {
        store.createBucket("described");
        putDescribed("described", "redirected.csv", "a,b\n".getBytes());
        Files.write(mnt.resolve("described/redirected.csv"), "c,d\n".getBytes()); // open with O_TRUNC
        assertThat(store.headObject("described", "redirected.csv").size()).isEqualTo(4);
        assertDescribed("described", "redirected.csv", false);

        putDescribed("described", "emptied.csv", "a,b\n".getBytes());
        assertThat(new ProcessBuilder("truncate", "-s", "0", mnt.resolve("described/emptied.csv").toString())
                .inheritIO().start().waitFor()).isZero();
        assertThat(store.headObject("described", "emptied.csv").size()).isZero();
        assertDescribed("described", "emptied.csv", false);

        putDescribed("described", "moved.csv", "a,b\n".getBytes());
        Files.move(mnt.resolve("described/moved.csv"), mnt.resolve("described/arrived.csv"));
        assertDescribed("described", "arrived.csv", true);
    }

    @Test
    void aFailedRenameOfAnOpenFileLeavesItWhereItWas() throws Exception {
        store.createBucket("halfmoved");
        Path from = mnt.resolve("halfmoved/draft.txt");
        Path to = mnt.resolve("halfmoved/final.txt");
        try (FileChannel ch = FileChannel.open(from, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("draft".getBytes()));
            failPuts.set(true);
            try {
                assertThatThrownBy(() -> Files.move(from, to)).isInstanceOf(IOException.class);
            } finally {
                failPuts.set(false);
            }
            assertThat(Files.exists(to)).as("the target is not there").isFalse();
        }
        assertThat(storedKeys("halfmoved")).as("stored where it was written, once").containsExactly("draft.txt");
    }

    /** Runs a Python script with {@code args}; returns its output, failing the test when it exits non-zero. */
    private static String python(String script, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("python3", "-c", script));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("python exited 0; output:%n%s", output).isZero();
        return output;
    }

    /** The stored object's bytes as text. */
    private static String stored(String bucket, String key) throws IOException {
        try (io.s3d.backend.ObjectData data = store.getObject(bucket, key);
                InputStream in = data.open(0, data.meta().size())) {
            return new String(in.readAllBytes());
        }
    }

    @Test
    void twoProcessesAppendingToOneFileKeepEveryByteInWriteOrder() throws Exception {
        store.createBucket("appended");
        Path file = mnt.resolve("appended/shared.log");
        // Two processes open the file with O_APPEND (as two shells' >> do) and take turns: A1, B1, A2.
        python("""
                import os, sys
                path = sys.argv[1]
                to_child_r, to_child_w = os.pipe()
                to_parent_r, to_parent_w = os.pipe()
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                pid = os.fork()
                if pid == 0:
                    mine = os.open(path, os.O_WRONLY | os.O_APPEND)
                    os.write(to_parent_w, b"o")
                    os.read(to_child_r, 1)
                    os.write(mine, b"B1")
                    os.write(to_parent_w, b"w")
                    os.read(to_child_r, 1)
                    os.close(mine)
                    os._exit(0)
                os.close(fd)
                fd = os.open(path, os.O_WRONLY | os.O_APPEND)
                os.read(to_parent_r, 1)
                os.write(fd, b"A1")
                os.write(to_child_w, b"g")
                os.read(to_parent_r, 1)
                os.write(fd, b"A2")
                os.close(fd)
                os.write(to_child_w, b"c")
                _, status = os.waitpid(pid, 0)
                sys.exit(status)
                """, file.toString());
        assertThat(stored("appended", "shared.log"))
                .as("every append, at the end at its time").isEqualTo("A1B1A2");
        assertThat(Files.readString(file)).isEqualTo("A1B1A2");
    }

    @Test
    void twoOpensOfOneProcessAppendingShareTheFile() throws Exception {
        store.createBucket("appended2");
        put("appended2", "two.log", "0".getBytes());
        Path file = mnt.resolve("appended2/two.log");
        python("""
                import os, sys
                a = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
                b = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)
                for i in range(3):
                    os.write(a, b"a%d" % i)
                    os.write(b, b"b%d" % i)
                os.close(a)
                os.close(b)
                """, file.toString());
        assertThat(Files.readString(file)).isEqualTo("0a0b0a1b1a2b2");
    }

    @Test
    void twoProcessesWritingDisjointRangesKeepBothRanges() throws Exception {
        store.createBucket("ranges");
        put("ranges", "blocks.bin", "........".getBytes());
        Path file = mnt.resolve("ranges/blocks.bin");
        python("""
                import os, sys
                path = sys.argv[1]
                to_child_r, to_child_w = os.pipe()
                to_parent_r, to_parent_w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    mine = os.open(path, os.O_WRONLY)
                    os.write(to_parent_w, b"o")
                    os.read(to_child_r, 1)
                    os.pwrite(mine, b"BBBB", 4)
                    os.close(mine)
                    os.write(to_parent_w, b"c")
                    os._exit(0)
                os.read(to_parent_r, 1)
                fd = os.open(path, os.O_WRONLY)
                os.pwrite(fd, b"AAAA", 0)
                os.write(to_child_w, b"g")
                os.read(to_parent_r, 1)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                sys.exit(status)
                """, file.toString());
        assertThat(stored("ranges", "blocks.bin"))
                .as("both writers' bytes").isEqualTo("AAAABBBB");
    }

    @Test
    void statWhileAnotherProcessClosesTheFileNeverFails() throws Exception {
        store.createBucket("racing");
        // The kernel's RELEASE of a closed file runs while other stats (and the writer's own) ask
        // for its attributes: none of them may fail, and the writer's stat sees what it wrote.
        String out = python("""
                import os, sys, threading, time
                errors = []
                done = []
                path = os.path.join(sys.argv[1], "busy.dat")
                def write():
                    for i in range(400):
                        try:
                            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                            os.write(fd, b"x" * (i + 1))
                            os.close(fd)
                            size = os.stat(path).st_size
                            if size != i + 1:
                                errors.append("size %d after writing %d" % (size, i + 1))
                        except OSError as e:
                            errors.append("writer: " + repr(e))
                    done.append(True)
                def watch():
                    while not done:
                        try:
                            os.stat(path)
                        except FileNotFoundError:
                            pass
                        except OSError as e:
                            errors.append("stat: " + repr(e))
                threads = [threading.Thread(target=write)] + [threading.Thread(target=watch) for _ in range(3)]
                for t in threads: t.start()
                for t in threads: t.join()
                print(len(errors), errors[:5])
                sys.exit(1 if errors else 0)
                """, mnt.resolve("racing").toString());
        assertThat(out).startsWith("0 ");
    }

    @Test
    void opensReadsAndClosesOfOneFileFromSeveralThreadsNeverFail() throws Exception {
        store.createBucket("busy");
        // Rewriters, appenders and readers open and close one existing file at once: each open
        // joins, or follows, a last writer that is storing and closing it; none may fail.
        String out = python("""
                import os, sys, threading
                path = os.path.join(sys.argv[1], "shared.dat")
                errors = []
                fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
                os.write(fd, b"start\\n")
                os.close(fd)
                def loop(name, flags, body):
                    for i in range(150):
                        try:
                            fd = os.open(path, flags)
                            if body:
                                os.write(fd, body % i)
                            else:
                                os.read(fd, 1 << 16)
                            os.close(fd)
                        except OSError as e:
                            errors.append(name + ": " + repr(e))
                threads = [threading.Thread(target=loop, args=("rewrite", os.O_WRONLY | os.O_TRUNC, b"r%d\\n")),
                           threading.Thread(target=loop, args=("append", os.O_WRONLY | os.O_APPEND, b"a%d\\n")),
                           threading.Thread(target=loop, args=("read", os.O_RDONLY, None)),
                           threading.Thread(target=loop, args=("read2", os.O_RDONLY, None))]
                for t in threads: t.start()
                for t in threads: t.join()
                print(len(errors), errors[:5])
                sys.exit(1 if errors else 0)
                """, mnt.resolve("busy").toString());
        assertThat(out).startsWith("0 ");
        org.awaitility.Awaitility.await("the last release").atMost(Duration.ofSeconds(10))
                .until(() -> fs.openFiles() == 0);
        assertThat(stored("busy", "shared.dat")).as("the mount and the store agree")
                .isEqualTo(Files.readString(mnt.resolve("busy/shared.dat")));
    }

    @Test
    void aDirectoryShowsTheSameTimeToAListingAndToALookup() throws Exception {
        store.createBucket("dirtimes");
        Files.createDirectories(mnt.resolve("dirtimes/marked"));
        Thread.sleep(1100); // the marker's time differs from the mount's start, by more than a second
        java.util.Set<String> seen = new java.util.TreeSet<>();
        try (Stream<Path> list = Files.list(mnt.resolve("dirtimes"))) {
            list.forEach(p -> seen.add(lastModified(p)));
        }
        seen.add(lastModified(mnt.resolve("dirtimes/marked")));
        Thread.sleep(1100); // what the listing taught is forgotten (metadata TTL): a lookup answers now
        seen.add(lastModified(mnt.resolve("dirtimes/marked")));
        assertThat(seen).as("one time for one directory").hasSize(1);
    }

    private static String lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tarOfATreeInTheMountSeesNothingChange() throws Exception {
        store.createBucket("tarred");
        Path tree = mnt.resolve("tarred/tree");
        Files.createDirectories(tree.resolve("a/b"));
        Files.createDirectories(tree.resolve("c"));
        Files.writeString(tree.resolve("top.txt"), "top");
        Files.writeString(tree.resolve("a/one.txt"), "one");
        Files.writeString(tree.resolve("a/b/two.txt"), "two");
        put("tarred", "tree/implicit/three.txt", "three".getBytes()); // a directory without marker
        Thread.sleep(1100); // the marker times differ from the mount's start
        // tar sleeps a little at each record, so the metadata TTL (1 s) passes while it reads the tree.
        Process tar = new ProcessBuilder("tar", "--checkpoint=1", "--checkpoint-action=sleep=1", "-czf",
                dir.resolve("tree.tgz").toString(), "-C",
                mnt.resolve("tarred").toString(), "tree").redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as("tar's exit code; it said: %s", output).isZero();
        assertThat(output).isEmpty();
    }

    @Test
    void whatTheMountRefusesItRefusesWithTheErrnoPosixFileSystemsUse() throws Exception {
        store.createBucket("refused");
        put("refused", "file.txt", "body".getBytes());
        String out = python("""
                import errno, os, sys
                d = sys.argv[1]
                f = os.path.join(d, "file.txt")
                long_name = os.path.join(d, "n" * 256)
                def errno_of(call):
                    try:
                        call()
                        return "ok"
                    except OSError as e:
                        return errno.errorcode[e.errno]
                print("link", errno_of(lambda: os.link(f, os.path.join(d, "hard"))))
                print("mkfifo", errno_of(lambda: os.mkfifo(os.path.join(d, "fifo"))))
                print("mknod", errno_of(lambda: os.mknod(os.path.join(d, "plain"), 0o644)))
                print("create-long", errno_of(lambda: os.close(os.open(long_name, os.O_WRONLY | os.O_CREAT))))
                print("stat-long", errno_of(lambda: os.stat(long_name)))
                print("mkdir-long", errno_of(lambda: os.mkdir(long_name)))
                print("rename-long", errno_of(lambda: os.rename(f, long_name)))
                print("truncate-huge", errno_of(lambda: os.truncate(f, 6 << 40)))
                fd = os.open(f, os.O_WRONLY)
                print("ftruncate-huge", errno_of(lambda: os.ftruncate(fd, 6 << 40)))
                os.close(fd)
                print("setxattr-trusted", errno_of(lambda: os.setxattr(f, "trusted.color", b"blue")))
                print("getxattr-security", errno_of(lambda: os.getxattr(f, "security.selinux")))
                """, mnt.resolve("refused").toString());
        assertThat(out.lines().toList()).containsExactly("link EPERM", "mkfifo EPERM", "mknod ok",
                "create-long ENAMETOOLONG", "stat-long ENAMETOOLONG", "mkdir-long ENAMETOOLONG",
                "rename-long ENAMETOOLONG", "truncate-huge EFBIG", "ftruncate-huge EFBIG",
                "setxattr-trusted ENOTSUP", "getxattr-security ENODATA");
        assertThat(storedKeys("refused")).containsExactlyInAnyOrder("file.txt", "plain");
        assertThat(stored("refused", "file.txt")).as("untouched by the refused calls").isEqualTo("body");
    }

    @Test
    void aMissingNameProbedAgainCostsTheStoreNothingAndShowsAtOnceWhenCreatedThroughTheMount() throws Exception {
        store.createBucket("probed");
        Path missing = mnt.resolve("probed/.git");
        assertThat(Files.exists(missing)).isFalse();
        int first = probes.get();
        assertThat(first).as("the first probe asks the store").isPositive();
        // Shells, git and editors probe the same missing names again and again (the metadata TTL is 1 s here).
        for (int i = 0; i < 20; i++) {
            assertThat(Files.exists(missing)).isFalse();
        }
        assertThat(probes.get()).as("later probes are answered from what the first one learned").isEqualTo(first);
        Files.writeString(missing, "created");
        assertThat(Files.readString(missing)).as("created through the mount: seen at once").isEqualTo("created");
        Files.createDirectory(mnt.resolve("probed/dir"));
        Path inside = mnt.resolve("probed/dir/x");
        assertThat(Files.exists(inside)).isFalse();
        Files.move(missing, inside);
        assertThat(Files.readString(inside)).as("renamed onto the missing name: seen at once").isEqualTo("created");
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void aSecondReadOfAnUnchangedFileComesFromThePageCacheAndAnOverwriteIsReadAfresh() throws Exception {
        store.createBucket("cached");
        byte[] v1 = random(300_000, 21);
        put("cached", "page.bin", v1);
        Path file = mnt.resolve("cached/page.bin");
        assertThat(Files.readAllBytes(file)).isEqualTo(v1);
        int afterFirst = cachedReads.get();
        assertThat(afterFirst).as("the first read reads the object").isPositive();
        assertThat(Files.readAllBytes(file)).isEqualTo(v1);
        assertThat(cachedReads.get()).as("the same version again: the kernel's page cache answers").isEqualTo(afterFirst);

        byte[] v2 = random(300_000, 22); // same size, other bytes: only the version tells them apart
        put("cached", "page.bin", v2);
        assertThat(Files.readAllBytes(file)).as("an overwrite through S3 is read afresh").isEqualTo(v2);
        assertThat(cachedReads.get()).isGreaterThan(afterFirst);

        byte[] v3 = random(300_000, 23);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(v3), 0);
        }
        assertThat(Files.readAllBytes(file)).as("an overwrite through the mount too").isEqualTo(v3);
    }

    /**
     * Mountpoint's "reftest" idea, small: a random sequence of file operations applied both to the
     * mount and to a directory on the local disk must leave the same tree (names, kinds, bytes).
     */
    @Test
    void randomFileOperationsLeaveTheSameTreeAsALocalDisk() throws Exception {
        store.createBucket("model");
        Path onMount = mnt.resolve("model");
        Path onDisk = Files.createDirectories(dir.resolve("model"));
        Random random = new Random(42);
        for (int step = 0; step < 300; step++) {
            String op = applyRandom(random, onMount, onDisk);
            assertThat(tree(onMount)).as("step %d: %s", step, op).isEqualTo(tree(onDisk));
        }
    }

    private static String applyRandom(Random random, Path mount, Path disk) throws IOException {
        java.util.List<String> dirs = new java.util.ArrayList<>(java.util.List.of(""));
        java.util.List<String> files = new java.util.ArrayList<>();
        try (Stream<Path> walk = Files.walk(disk)) {
            walk.filter(p -> !p.equals(disk)).forEach(p -> (Files.isDirectory(p) ? dirs : files)
                    .add(disk.relativize(p).toString()));
        }
        String newName = dirs.get(random.nextInt(dirs.size())) + "/n" + random.nextInt(1000);
        newName = newName.startsWith("/") ? newName.substring(1) : newName;
        boolean free = !Files.exists(disk.resolve(newName));
        int choice = random.nextInt(9);
        if (files.isEmpty() && choice >= 2 && choice <= 7) {
            choice = 1;
        }
        String file = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
        byte[] bytes = random(random.nextInt(200_000), random.nextLong());
        switch (choice) {
            case 0 -> {
                if (!free) {
                    return "skip";
                }
                for (Path root : new Path[] {mount, disk}) {
                    Files.createDirectory(root.resolve(newName));
                }
                return "mkdir " + newName;
            }
            case 1 -> {
                if (!free) {
                    return "skip";
                }
                for (Path root : new Path[] {mount, disk}) {
                    Files.write(root.resolve(newName), bytes);
                }
                return "create " + newName + " " + bytes.length;
            }
            case 2 -> {
                for (Path root : new Path[] {mount, disk}) {
                    Files.write(root.resolve(file), bytes);
                }
                return "overwrite " + file + " " + bytes.length;
            }
            case 3 -> {
                for (Path root : new Path[] {mount, disk}) {
                    Files.write(root.resolve(file), bytes, StandardOpenOption.APPEND);
                }
                return "append " + file + " " + bytes.length;
            }
            case 4 -> {
                long offset = random.nextInt((int) Files.size(disk.resolve(file)) + 10_000);
                byte[] patch = Arrays.copyOf(bytes, Math.min(bytes.length, 5000));
                for (Path root : new Path[] {mount, disk}) {
                    try (FileChannel ch = FileChannel.open(root.resolve(file), StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(patch), offset);
                    }
                }
                return "pwrite " + file + " at " + offset;
            }
            case 5 -> {
                long size = random.nextInt((int) Files.size(disk.resolve(file)) + 1000);
                for (Path root : new Path[] {mount, disk}) {
                    try (FileChannel ch = FileChannel.open(root.resolve(file), StandardOpenOption.WRITE)) {
                        if (size < ch.size()) {
                            ch.truncate(size);
                        } else {
                            ch.write(ByteBuffer.allocate(1), size - 1);
                        }
                    }
                }
                return "truncate " + file + " to " + size;
            }
            case 6 -> {
                for (Path root : new Path[] {mount, disk}) {
                    Files.delete(root.resolve(file));
                }
                return "unlink " + file;
            }
            case 7 -> {
                String target = random.nextBoolean() || files.size() < 2 ? newName
                        : files.get(random.nextInt(files.size()));
                if (Files.isDirectory(disk.resolve(target))) {
                    return "skip";
                }
                for (Path root : new Path[] {mount, disk}) {
                    Files.move(root.resolve(file), root.resolve(target), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return "rename " + file + " -> " + target;
            }
            default -> {
                String victim = dirs.get(random.nextInt(dirs.size()));
                if (victim.isEmpty()) {
                    return "skip";
                }
                try (Stream<Path> inside = Files.list(disk.resolve(victim))) {
                    if (inside.findAny().isPresent()) {
                        assertThatThrownBy(() -> Files.delete(mount.resolve(victim)))
                                .isInstanceOf(java.nio.file.DirectoryNotEmptyException.class);
                        return "rmdir (not empty) " + victim;
                    }
                }
                for (Path root : new Path[] {mount, disk}) {
                    Files.delete(root.resolve(victim));
                }
                return "rmdir " + victim;
            }
        }
    }

    /** Each path under {@code root}: "dir" or the SHA-256 of the file's bytes. */
    private static java.util.SortedMap<String, String> tree(Path root) throws IOException {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
