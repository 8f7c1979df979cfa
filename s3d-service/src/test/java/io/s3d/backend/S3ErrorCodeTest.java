package io.s3d.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3ErrorCodeTest {
    @Test
    void codesAreSpelledAsAwsSpellsThem() {
        assertThat(S3ErrorCode.NO_SUCH_KEY.code()).isEqualTo("NoSuchKey");
        assertThat(S3ErrorCode.MALFORMED_XML.code()).isEqualTo("MalformedXML");
        assertThat(S3ErrorCode.INVALID_URI.code()).isEqualTo("InvalidURI");
        assertThat(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH.code()).isEqualTo("XAmzContentSHA256Mismatch");
        assertThat(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU.code()).isEqualTo("BucketAlreadyOwnedByYou");
        assertThat(S3ErrorCode.KEY_TOO_LONG_ERROR.code()).isEqualTo("KeyTooLongError");
        assertThat(S3ErrorCode.BAD_REQUEST_TOO_MANY_TAGS.code()).isEqualTo("BadRequest");
        assertThat(S3ErrorCode.INVALID_RANGE.status()).isEqualTo(416);
        assertThat(S3ErrorCode.NOT_IMPLEMENTED.status()).isEqualTo(501);
    }

    @Test
    void remoteErrorsKeepTheirOwnCode() {
        S3Exception remote = S3Exception.fromRemote("SomeNewAwsCode", 400, "from the remote");
        assertThat(remote.code()).isEqualTo("SomeNewAwsCode");
        assertThat(remote.status()).isEqualTo(400);
        assertThat(remote.errorCode()).isNull();
        assertThat(S3Exception.fromRemote("NoSuchKey", 404, "x").errorCode()).isEqualTo(S3ErrorCode.NO_SUCH_KEY);
    }
}
