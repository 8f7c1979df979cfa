package io.s3d.api.auth;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;

/** The {@code Credential=AKID/date/region/service/aws4_request} part of a SigV4 signature. */
record Credential(String accessKeyId, String date, String region, String service) {

    /** The credential scope that is signed: {@code date/region/service/aws4_request}. */
    String scope() {
        return date + "/" + region + "/" + service + "/aws4_request";
    }

    /**
     * Parses a credential. Any region is accepted because s3d is not tied to one; the service must
     * be {@code s3}. {@code inQuery} selects the error S3 answers with for presigned URLs.
     */
    static Credential parse(String value, boolean inQuery) {
        S3ErrorCode code = inQuery ? S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR
                : S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED;
        String prefix = inQuery ? "Error parsing the X-Amz-Credential parameter; "
                : "The authorization header is malformed; ";
        String[] parts = value.split("/", -1);
        if (parts.length != 5) {
            throw new S3Exception(code, prefix + "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        if (parts[0].isEmpty()) {
            throw new S3Exception(code, prefix + "the Credential is mal-formed; the access key id is empty.");
        }
        if (parts[1].length() != 8 || !parts[1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new S3Exception(code, prefix + "incorrect date format \"" + parts[1] + "\". This date in the credential must be in the format \"yyyyMMdd\".");
        }
        if (parts[2].isEmpty()) {
            throw new S3Exception(code, prefix + "the region is empty.");
        }
        if (!parts[3].equals("s3")) {
            throw new S3Exception(code, prefix + "incorrect service \"" + parts[3] + "\". This endpoint belongs to \"s3\".");
        }
        if (!parts[4].equals("aws4_request")) {
            throw new S3Exception(code, prefix + "incorrect terminal \"" + parts[4] + "\". This endpoint uses \"aws4_request\".");
        }
        return new Credential(parts[0], parts[1], parts[2], parts[3]);
    }
}
