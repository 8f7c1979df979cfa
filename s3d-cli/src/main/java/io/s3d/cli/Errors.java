package io.s3d.cli;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;

import javax.net.ssl.SSLException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Translates what went wrong into a {@link CliException}: the S3 code, the object, a hint. */
public final class Errors {

    static final String CREDENTIALS_HINT = "check S3D_ACCESS_KEY_ID/S3D_SECRET_ACCESS_KEY, "
            + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or --profile";

    private Errors() {
    }

    /**
     * @param target the object or bucket the command worked on, e.g. {@code s3://b/k}; may be null
     * @param endpoint the endpoint URL, for connection errors; may be null
     */
    public static CliException toCli(Throwable e, String target, String endpoint) {
        if (e instanceof CliException c) {
            return c;
        }
        if (e instanceof picocli.CommandLine.ExecutionException && e.getCause() != null) {
            return toCli(e.getCause(), target, endpoint);
        }
        String where = target == null ? "" : target + ": ";
        if (e instanceof AwsServiceException s) {
            return service(s, where, target);
        }
        if (e instanceof SdkClientException || e instanceof SdkException) {
            return client(e, where, endpoint);
        }
        if (e instanceof UncheckedIOException u) {
            return toCli(u.getCause(), target, endpoint);
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return new CliException(where + "no such file: " + e.getMessage(), null, ExitCodes.ERROR, e);
        }
        if (e instanceof AccessDeniedException) {
            return new CliException(where + "permission denied: " + e.getMessage(), null, ExitCodes.ERROR, e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof SocketTimeoutException || e instanceof NoRouteToHostException) {
            return client(e, where, endpoint);
        }
        if (e instanceof IOException) {
            return new CliException(where + e.getMessage(), null, ExitCodes.ERROR, e);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new CliException(where + msg, "run again with --verbose for details", ExitCodes.ERROR, e);
    }

    /**
     * What a failed admin request means: the daemon's JSON error ({@code error}, {@code message}),
     * a refused signature, a daemon in trouble, or an endpoint that is not s3d at all.
     *
     * @param path the admin endpoint asked, e.g. {@code /_s3d/queue}, for messages
     * @param target the bucket or object the command worked on, e.g. {@code s3://b}; may be null
     */
    static CliException admin(AdminClient.Response r, String path, String target, String endpoint) {
        String where = target == null ? "" : target + ": ";
        Map<?, ?> body = r.json();
        if (body != null && body.get("error") instanceof String code) {
            if (code.equals("WriteQueueDisabled")) {
                return new CliException("the write queue is off on this s3d",
                        "start it with S3D_WRITE_QUEUE=true and S3_ENDPOINT=..., e.g. ./s3d run --remote URL --write-queue");
            }
            if (code.equals("ReadCacheDisabled")) {
                return new CliException("the read cache is off on this s3d",
                        "start it with S3D_READ_CACHE=true and S3_ENDPOINT=..., e.g. ./s3d run --remote URL --read-cache");
            }
            String message = body.get("message") instanceof String s ? s : "HTTP status " + r.status();
            String hint = switch (code) {
                case "NoSuchBucket" -> "list the buckets with 's3d ls'";
                case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch" -> CREDENTIALS_HINT;
                // what a daemon from before the write queue (or the read cache) answers to /_s3d/queue...
                case "NotFound", "MethodNotAllowed" -> path.startsWith("/_s3d/queue")
                        ? "this s3d has no write-queue endpoints; it is older than this s3d command"
                        : path.startsWith("/_s3d/cache")
                                ? "this s3d has no read-cache endpoints; it is older than this s3d command" : null;
                default -> null;
            };
            return new CliException(where + code + ": " + message, hint);
        }
        if (r.status() == 401 || r.status() == 403) {
            return new CliException("access to " + endpoint + path + " denied (HTTP " + r.status() + ")", CREDENTIALS_HINT);
        }
        if (r.status() >= 500) {
            return new CliException(endpoint + path + " answered HTTP " + r.status(), "is the daemon healthy? see its log");
        }
        return new CliException(endpoint + " is not an s3d daemon: " + path + " answered HTTP " + r.status(),
                "status, flush, queue, cache, prefetch and unpin work only against s3d; 's3d ls' works against any S3 endpoint");
    }

    private static CliException service(AwsServiceException s, String where, String target) {
        int status = s.statusCode();
        String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
        String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
        if (code == null || code.isBlank()) {
            code = switch (status) {
                case 301 -> "PermanentRedirect";
                case 304 -> "NotModified";
                case 400 -> "BadRequest";
                case 403 -> "AccessDenied";
                case 404 -> "NotFound";
                case 405 -> "MethodNotAllowed";
                case 412 -> "PreconditionFailed";
                case 416 -> "InvalidRange";
                case 501 -> "NotImplemented";
                case 503 -> "ServiceUnavailable";
                default -> "HTTP" + status;
            };
        }
        if (message == null || message.isBlank()) {
            message = switch (code) {
                case "NotFound" -> "no such object or bucket";
                case "AccessDenied" -> "access denied";
                default -> "HTTP status " + status;
            };
        }
        String hint = switch (code) {
            case "NoSuchBucket" -> "list the buckets with 's3d ls'";
            case "NoSuchKey", "NotFound" -> target != null && target.startsWith("s3://")
                    ? "list the bucket with 's3d ls " + parentOf(target) + "'" : null;
            case "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
                    "ExpiredToken", "MissingSecurityHeader", "AuthorizationHeaderMalformed" -> CREDENTIALS_HINT;
            case "NotImplemented" -> "this S3 endpoint does not support the operation";
            case "InvalidRange" -> "the range lies outside the object; check --range";
            default -> null;
        };
        return new CliException(where + code + ": " + message, hint, ExitCodes.ERROR, s);
    }

    private static String parentOf(String target) {
        String s = target.substring(5);
        int slash = s.lastIndexOf('/');
        return slash < 0 ? s : s.substring(0, slash + 1);
    }

    private static CliException client(Throwable e, String where, String endpoint) {
        String ep = endpoint == null ? "the endpoint" : endpoint;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return new CliException(where + "cannot connect to " + ep + ": connection refused",
                        "is the daemon running? start it with ./s3d run, or set --endpoint/S3D_ENDPOINT",
                        ExitCodes.ERROR, e);
            }
            if (c instanceof UnknownHostException) {
                return new CliException(where + "cannot connect to " + ep + ": unknown host " + c.getMessage(),
                        "check --endpoint or S3D_ENDPOINT", ExitCodes.ERROR, e);
            }
            if (c instanceof NoRouteToHostException) {
                return new CliException(where + "cannot connect to " + ep + ": no route to host",
                        "check --endpoint or S3D_ENDPOINT", ExitCodes.ERROR, e);
            }
            if (c instanceof SocketTimeoutException) {
                return new CliException(where + ep + " did not answer in time: " + c.getMessage(),
                        "is the endpoint reachable? check --endpoint or S3D_ENDPOINT", ExitCodes.ERROR, e);
            }
            if (c instanceof SSLException) {
                return new CliException(where + "TLS failed with " + ep + ": " + c.getMessage(),
                        "use http:// for a plain-text endpoint", ExitCodes.ERROR, e);
            }
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.contains("Unable to load credentials")) {
            return new CliException(where + "no credentials found", CREDENTIALS_HINT, ExitCodes.ERROR, e);
        }
        return new CliException(where + msg, null, ExitCodes.ERROR, e);
    }
}
