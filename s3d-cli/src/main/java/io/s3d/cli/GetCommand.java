package io.s3d.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@code s3d get bucket/key [file]}: data to stdout or a file, metadata to stderr. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Download an object. The data goes to standard output (or FILE); the metadata "
                        + "(size, ETag, date, content type, user metadata) goes to standard error.",
                "",
                "Downloading to a file is resumable: if it is interrupted, the same command continues "
                        + "where it stopped, provided the object did not change (checked by ETag). "
                        + "The state lives in FILE.s3d-part until the download completes."},
        footerHeading = "%nExamples:%n",
        footer = {"  s3d get photos/cat.jpg > cat.jpg          to standard output",
                "  s3d get photos/cat.jpg cat.jpg            to a file (resumable)",
                "  s3d get logs/app.log --range 0-1023       the first KiB",
                "  s3d get logs/app.log --range -1024        the last KiB",
                "  s3d get photos/cat.jpg cat.jpg --json     metadata as JSON on standard error"})
public class GetCommand extends S3Command {
    static final String SIDECAR_SUFFIX = ".s3d-part";
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d*)-(\\d*)");

    @Parameters(index = "0", paramLabel = "bucket/key", description = "The object to download.")
    String location;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
            description = "Write here instead of standard output ('-' = standard output); into it, under the key's last segment, if it is a directory.")
    Path file;

    @Option(names = "--range", paramLabel = "FIRST-LAST",
            description = "Only these bytes (inclusive, from 0): 0-1023, 1024- (to the end), -100 (the last 100); 'bytes=' may precede.")
    String range;

    @Option(names = "--no-resume", description = "Start over even if FILE holds an interrupted download.")
    boolean noResume;

    @Option(names = "--no-progress", description = "No progress bar, even on a terminal.")
    boolean noProgress;

    @Override
    protected int execute() throws IOException {
        S3Location loc = S3Location.parseObject(location);
        target = loc.toString();
        String httpRange = range == null ? null : parseRange(range);
        if (file == null || file.toString().equals("-")) {
            return toStdout(loc, httpRange);
        }
        if (Files.isDirectory(file)) {
            // like cp: into the directory, under the key's last segment
            String name = loc.key().endsWith("/") ? "" : loc.key().substring(loc.key().lastIndexOf('/') + 1);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                throw CliException.usage("'" + loc.key() + "' gives no file name; name the output file");
            }
            file = file.resolve(name);
        }
        return toFile(loc, httpRange);
    }

    static String parseRange(String text) {
        Matcher m = RANGE.matcher(text.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            throw CliException.usage("bad --range '" + text + "': use FIRST-LAST, FIRST- or -SUFFIX, e.g. 0-1023");
        }
        if (!m.group(1).isEmpty() && !m.group(2).isEmpty()
                && Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
            throw CliException.usage("bad --range '" + text + "': the first byte is after the last");
        }
        return "bytes=" + m.group(1) + "-" + m.group(2);
    }

    private GetObjectRequest.Builder request(S3Location loc) {
        return GetObjectRequest.builder().bucket(loc.bucket()).key(loc.key());
    }

    private int toStdout(S3Location loc, String httpRange) throws IOException {
        GetObjectRequest.Builder req = request(loc);
        if (httpRange != null) {
            req.range(httpRange);
        } else {
            req.checksumMode(ChecksumMode.ENABLED);
        }
        OutputStream out = root().stdout;
        try (ResponseInputStream<GetObjectResponse> in = endpoint.client().getObject(req.build())) {
            GetObjectResponse meta = in.response();
            printMetadata(loc, meta);
            Progress progress = progress(meta.contentLength(), 0);
            try {
                Transfer.copy(in, out, progress);
            } catch (Transfer.BrokenPipe e) {
                progress.clear();
                in.abort();
                return ExitCodes.ERROR;
            } catch (IOException | RuntimeException e) {
                progress.clear();
                throw e;
            }
            progress.finish();
        }
        return ExitCodes.OK;
    }

    private int toFile(S3Location loc, String httpRange) throws IOException {
        Path sidecar = file.resolveSibling(file.getFileName() + SIDECAR_SUFFIX);
        if (httpRange != null) {
            return download(loc, request(loc).range(httpRange).build(), false, null);
        }
        if (!noResume && Files.isRegularFile(sidecar) && Files.isRegularFile(file)) {
            Map<?, ?> state = readSidecar(sidecar);
            long have = Files.size(file);
            if (state != null && loc.bucket().equals(state.get("bucket")) && loc.key().equals(state.get("key"))
                    && state.get("etag") instanceof String etag && state.get("size") instanceof Long size
                    && have <= size) {
                if (!output.quiet) {
                    err().println("resuming " + loc + " at byte " + have + " of " + size);
                    err().flush();
                }
                try {
                    GetObjectRequest req = request(loc).ifMatch(etag)
                            .range(have == size ? "bytes=0-0" : "bytes=" + have + "-").build();
                    if (have == size) {
                        // already complete: only confirm that the object is still the one we have
                        endpoint.client().getObject(req).close();
                        Files.delete(sidecar);
                        return ExitCodes.OK;
                    }
                    return download(loc, req, true, sidecar);
                } catch (S3Exception e) {
                    if (e.statusCode() != 412) {
                        throw e;
                    }
                    if (!output.quiet) {
                        err().println(loc + " changed since the interrupted download; starting over");
                        err().flush();
                    }
                }
            }
        }
        return download(loc, request(loc).checksumMode(ChecksumMode.ENABLED).build(), false, sidecar);
    }

    /** Streams one GET into the file; with a sidecar, records the ETag first so it can resume. */
    private int download(S3Location loc, GetObjectRequest req, boolean append, Path sidecar) throws IOException {
        try (ResponseInputStream<GetObjectResponse> in = endpoint.client().getObject(req)) {
            GetObjectResponse meta = in.response();
            long already = append ? Files.size(file) : 0;
            long total = meta.contentLength() == null ? -1 : meta.contentLength() + already;
            if (sidecar != null && !append) {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("bucket", loc.bucket());
                state.put("key", loc.key());
                state.put("etag", meta.eTag());
                state.put("size", total);
                Files.writeString(sidecar, Json.write(state) + "\n", StandardCharsets.UTF_8);
            }
            printMetadata(loc, meta);
            Progress progress = progress(total, already);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                Transfer.copy(in, out, progress);
            } catch (IOException e) {
                progress.clear();
                throw new CliException(loc + ": download to " + file + " interrupted: " + e.getMessage(),
                        sidecar != null ? "run the same command again to resume" : null, ExitCodes.ERROR, e);
            }
            progress.finish();
            if (sidecar != null) {
                Files.deleteIfExists(sidecar);
            }
        }
        return ExitCodes.OK;
    }

    private static Map<?, ?> readSidecar(Path sidecar) {
        try {
            return Json.parse(Files.readString(sidecar, StandardCharsets.UTF_8)) instanceof Map<?, ?> m ? m : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private Progress progress(Long total, long already) {
        return Progress.start(root().terminal(), !noProgress && !output.quiet, err(), target,
                total == null ? -1 : total, already);
    }

    private void printMetadata(S3Location loc, GetObjectResponse meta) {
        if (output.quiet) {
            return;
        }
        PrintWriter err = err();
        if (output.json) {
            err.println(Json.write(metadata(loc, meta)));
        } else {
            StringBuilder sb = new StringBuilder();
            line(sb, "object", loc.toString());
            line(sb, "size", meta.contentLength() == null ? null : String.valueOf(meta.contentLength()));
            line(sb, "content-range", meta.contentRange());
            line(sb, "etag", meta.eTag());
            line(sb, "last-modified", meta.lastModified() == null ? null : meta.lastModified().toString());
            line(sb, "content-type", meta.contentType());
            line(sb, "content-encoding", meta.contentEncoding());
            line(sb, "version-id", meta.versionId());
            line(sb, "storage-class", meta.storageClassAsString());
            line(sb, "tags", meta.tagCount() == null ? null : String.valueOf(meta.tagCount()));
            meta.metadata().forEach((k, v) -> line(sb, "meta." + k, v));
            err.print(sb);
        }
        err.flush();
    }

    private static void line(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(name).append(": ").append(" ".repeat(Math.max(0, 14 - name.length()))).append(value).append('\n');
        }
    }

    static Map<String, Object> metadata(S3Location loc, GetObjectResponse meta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bucket", loc.bucket());
        m.put("key", loc.key());
        m.put("size", meta.contentLength());
        m.put("contentRange", meta.contentRange());
        m.put("etag", meta.eTag());
        m.put("lastModified", meta.lastModified() == null ? null : meta.lastModified().toString());
        m.put("contentType", meta.contentType());
        m.put("versionId", meta.versionId());
        m.put("tagCount", meta.tagCount());
        m.put("metadata", new LinkedHashMap<>(meta.metadata()));
        return m;
    }
}
