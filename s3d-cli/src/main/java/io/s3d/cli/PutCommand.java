package io.s3d.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * {@code s3d put bucket/key [file]}: upload from a file or standard input. Input larger than one
 * part goes up as a multipart upload streamed part by part, so memory stays at
 * {@code (parallel + 1) × part size} whatever the object's size, even for a pipe of unknown length.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
        description = {"Upload FILE, or standard input when FILE is absent or '-'.",
                "",
                "Input larger than --part-size (8 MiB) is sent as a multipart upload, streamed part "
                        + "by part; a failed multipart upload is aborted. A key ending in '/' (or no key) "
                        + "takes the file's name. A summary goes to standard error; with --json a JSON "
                        + "result goes to standard output."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d put photos/cat.jpg cat.jpg                      upload a file",
                "  s3d put photos/ cat.jpg                             same: key photos/cat.jpg",
                "  tar c src | s3d put backups/src.tar                 from a pipe",
                "  s3d put docs/a.json a.json --content-type application/json",
                "  s3d put data/x.bin x.bin --meta owner=ann --tag s3d.upload=true"})
public class PutCommand extends S3Command {
    static final long MIN_PART = 5L << 20;
    static final int MAX_PARTS = 10_000;

    @Parameters(index = "0", paramLabel = "bucket/key", description = "Where to upload to.")
    String location;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "What to upload; standard input when absent or '-'.")
    String file;

    @Option(names = "--content-type", paramLabel = "TYPE", description = "Content-Type; guessed from the file name, else application/octet-stream.")
    String contentType;

    @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "User metadata (x-amz-meta-KEY); repeatable.")
    Map<String, String> meta = new LinkedHashMap<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Object tag; repeatable.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--part-size", paramLabel = "SIZE", defaultValue = "8M",
            description = "Multipart part size (at least 5M); default ${DEFAULT-VALUE}. Larger files get larger parts to stay within 10,000 parts.")
    String partSize;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
            description = "Parts uploaded at once; default ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Override
    protected int execute() throws Exception {
        S3Location loc = S3Location.parse(location);
        boolean stdin = file == null || file.equals("-");
        String key = loc.key();
        if (key.isEmpty() || key.endsWith("/")) {
            if (stdin) {
                throw CliException.usage("'" + location + "' names no object; reading standard input needs bucket/key");
            }
            key = key + Path.of(file).getFileName();
        }
        loc = new S3Location(loc.bucket(), key);
        target = loc.toString();
        long part = Sizes.parse(partSize);
        if (part < MIN_PART) {
            throw CliException.usage("--part-size must be at least 5M (S3's minimum part size)");
        }
        if (parallel < 1 || parallel > 16) {
            throw CliException.usage("--parallel must be between 1 and 16");
        }
        String type = contentType;
        if (type == null && !stdin) {
            type = URLConnection.guessContentTypeFromName(file);
        }
        if (type == null) {
            type = "application/octet-stream";
        }
        Result result;
        if (stdin) {
            if (root().terminal().stdinIsTerminal()) {
                throw CliException.usage("no FILE given and standard input is a terminal; name a file or pipe the data in");
            }
            result = upload(loc, root().stdin, -1, part, type);
        } else {
            Path path = Path.of(file);
            if (!Files.isRegularFile(path)) {
                throw new CliException(Files.exists(path) ? file + " is not a regular file" : "no such file: " + file);
            }
            long size = Files.size(path);
            // stay within S3's 10,000 parts: round the part size up to a whole MiB
            long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
            if (needed > part) {
                part = (needed + (1 << 20) - 1) / (1 << 20) * (1 << 20);
            }
            if (part > Integer.MAX_VALUE - 8) {
                throw new CliException(file + " is too large for a multipart upload");
            }
            try (InputStream in = Files.newInputStream(path)) {
                result = upload(loc, in, size, part, type);
            }
        }
        report(loc, result);
        return ExitCodes.OK;
    }

    record Result(long size, String etag, int parts, String versionId) {
    }

    private Result upload(S3Location loc, InputStream raw, long size, long partSize, String type) throws Exception {
        PushbackInputStream in = new PushbackInputStream(raw, 1);
        int part = (int) partSize;
        Progress progress = Progress.start(root().terminal(), !noProgress && !output.quiet, err(), target, size, 0);
        try {
            byte[] first = new byte[size >= 0 ? (int) Math.min(part, size) : part];
            int n = Transfer.readFully(in, first, first.length);
            if (n < part || atEnd(in)) {
                Result r = single(loc, first, n, type);
                progress.add(n);
                progress.finish();
                return r;
            }
            Result r = multipart(loc, in, first, part, type, progress);
            progress.finish();
            return r;
        } catch (Exception e) {
            progress.clear();
            throw e;
        }
    }

    private static boolean atEnd(PushbackInputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            return true;
        }
        in.unread(b);
        return false;
    }

    private Result single(S3Location loc, byte[] data, int len, String type) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key())
                .contentType(type).contentLength((long) len);
        if (!meta.isEmpty()) {
            req.metadata(meta);
        }
        if (!tags.isEmpty()) {
            req.tagging(tagging(tags));
        }
        PutObjectResponse resp = endpoint.client().putObject(req.build(),
                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, len), len, type));
        return new Result(len, resp.eTag(), 0, resp.versionId());
    }

    private Result multipart(S3Location loc, PushbackInputStream in, byte[] first, int part, String type,
            Progress progress) throws Exception {
        S3Client s3 = endpoint.client();
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(loc.bucket()).key(loc.key()).contentType(type);
        if (!meta.isEmpty()) {
            create.metadata(meta);
        }
        if (!tags.isEmpty()) {
            create.tagging(tagging(tags));
        }
        String uploadId = s3.createMultipartUpload(create.build()).uploadId();
        // a pool of part buffers: reading the next part overlaps with uploading the previous ones
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(parallel + 1);
        for (int i = 0; i < parallel; i++) {
            free.add(new byte[part]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "s3d-put");
            t.setDaemon(true);
            return t;
        });
        List<Future<CompletedPart>> futures = new ArrayList<>();
        long total = 0;
        try {
            byte[] buf = first;
            int n = part; // the first buffer is full
            int number = 0;
            while (n > 0) {
                number++;
                if (number > MAX_PARTS) {
                    throw new CliException("input needs more than 10,000 parts of " + Sizes.human(part),
                            "use a larger --part-size");
                }
                total += n;
                futures.add(pool.submit(uploadPart(s3, loc, uploadId, number, buf, n, type, free, progress)));
                failFast(futures);
                if (n < part) {
                    break; // readFully stops short only at the end of the input
                }
                buf = free.take();
                n = Transfer.readFully(in, buf, part);
            }
            List<CompletedPart> parts = new ArrayList<>();
            for (Future<CompletedPart> f : futures) {
                parts.add(get(f));
            }
            var done = s3.completeMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
            return new Result(total, done.eTag(), parts.size(), done.versionId());
        } catch (Exception e) {
            pool.shutdownNow();
            try {
                s3.abortMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        } finally {
            pool.shutdown();
        }
    }

    private static Callable<CompletedPart> uploadPart(S3Client s3, S3Location loc, String uploadId, int number,
            byte[] data, int len, String type, BlockingQueue<byte[]> free, Progress progress) {
        return () -> {
            try {
                UploadPartResponse r = s3.uploadPart(b -> b.bucket(loc.bucket()).key(loc.key())
                        .uploadId(uploadId).partNumber(number).contentLength((long) len),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(data, 0, len), len, type));
                synchronized (progress) {
                    progress.add(len);
                }
                return CompletedPart.builder().partNumber(number).eTag(r.eTag()).build();
            } finally {
                free.add(data);
            }
        };
    }

    private static void failFast(List<Future<CompletedPart>> futures) throws Exception {
        for (Future<CompletedPart> f : futures) {
            if (f.isDone()) {
                get(f);
            }
        }
    }

    private static CompletedPart get(Future<CompletedPart> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    static String tagging(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20") + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    private void report(S3Location loc, Result r) {
        if (output.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bucket", loc.bucket());
            m.put("key", loc.key());
            m.put("size", r.size());
            m.put("etag", r.etag());
            m.put("parts", r.parts());
            m.put("versionId", r.versionId());
            out().println(Json.write(m));
            out().flush();
        } else if (!output.quiet) {
            err().println(loc + "  " + r.size() + " bytes  etag " + r.etag()
                    + (r.parts() > 0 ? "  (" + r.parts() + " parts)" : ""));
            err().flush();
        }
    }
}
