package io.s3d.remote;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.telemetry.RemoteTelemetry;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into the S3 error s3d's client should see: the remote's own code,
 * status and message when it answered, {@code 503 ServiceUnavailable} when it could not be reached.
 */
final class RemoteErrors {
    private RemoteErrors() {
    }

    /** Runs one remote call, translating its failure; {@code missing} names the 404 of a body-less answer (HEAD). */
    static <T> T call(S3ErrorCode missing, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(e, missing);
        }
    }

    static S3Exception translate(SdkException e, S3ErrorCode missing) {
        if (e instanceof software.amazon.awssdk.services.s3.model.S3Exception remote) {
            var details = remote.awsErrorDetails();
            String code = details == null ? null : details.errorCode();
            String message = details == null ? null : details.errorMessage();
            int status = remote.statusCode();
            if (code == null || code.isBlank()) {
                code = switch (status) {
                    case 304 -> S3ErrorCode.NOT_MODIFIED.code();
                    case 400 -> "BadRequest";
                    case 403 -> S3ErrorCode.ACCESS_DENIED.code();
                    case 404 -> missing.code();
                    case 412 -> S3ErrorCode.PRECONDITION_FAILED.code();
                    case 416 -> S3ErrorCode.INVALID_RANGE.code();
                    case 503 -> S3ErrorCode.SLOW_DOWN.code();
                    default -> status >= 500 ? S3ErrorCode.INTERNAL_ERROR.code() : "UnknownError";
                };
            }
            RemoteTelemetry.error(code);
            return S3Exception.fromRemote(code, status, message == null || message.isBlank() ? code : message,
                    answer(details));
        }
        if (e instanceof SdkClientException) {
            RemoteTelemetry.error(RemoteTelemetry.UNREACHABLE);
            return new RemoteUnreachableException("The remote S3 store is unreachable: " + rootMessage(e), e);
        }
        return new S3Exception(S3ErrorCode.INTERNAL_ERROR, "Remote call failed: " + rootMessage(e), e);
    }

    /** The remote's headers and error body, as a forwarded request's answer would carry them. */
    private static S3Exception.RemoteAnswer answer(software.amazon.awssdk.awscore.exception.AwsErrorDetails details) {
        if (details == null || details.sdkHttpResponse() == null) {
            return null;
        }
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        details.sdkHttpResponse().headers().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!RemoteForwarder.NOT_RETURNED.contains(lower) && !values.isEmpty()) {
                headers.put(lower, String.join(",", values));
            }
        });
        byte[] body = details.rawResponse() == null ? null : details.rawResponse().asByteArray();
        return new S3Exception.RemoteAnswer(headers, body);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
