package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which browser-upload form fields a gateway, or the local store, refuses (501) instead of silently dropping them. */
class PostObjectFieldsTest {

    private static Map<String, String> signedForm() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "uploads/${filename}");
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", "edge/20261207/us-east-1/s3/aws4_request");
        fields.put("x-amz-date", "20261207T120000Z");
        fields.put("x-amz-security-token", "token");
        fields.put("policy", "e30=");
        fields.put("x-amz-signature", "00");
        fields.put("content-type", "image/png");
        fields.put("x-amz-meta-owner", "alice");
        fields.put("tagging", "<Tagging><TagSet/></Tagging>");
        fields.put("success_action_status", "201");
        return fields;
    }

    @Test
    void whatS3dCarriesItselfIsAccepted() {
        assertThat(PostObjectHandler.unstoredField(signedForm())).isEmpty();
        Map<String, String> standard = signedForm();
        standard.put("x-amz-storage-class", "STANDARD");
        assertThat(PostObjectHandler.unstoredField(standard)).isEmpty();
    }

    @Test
    void encryptionAclLockStorageClassAndRedirectFieldsAreNamed() {
        Map<String, String> cases = Map.of(
                "x-amz-server-side-encryption", "AES256",
                "x-amz-server-side-encryption-aws-kms-key-id", "alias/k",
                "acl", "public-read",
                "x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
                "x-amz-object-lock-mode", "GOVERNANCE",
                "x-amz-storage-class", "GLACIER",
                "x-amz-website-redirect-location", "/other");
        cases.forEach((field, value) -> {
            Map<String, String> form = signedForm();
            form.put(field, value);
            assertThat(PostObjectHandler.unstoredField(form)).as(field).contains(field);
        });
    }

    @Test
    void theLocalStoreAppliesEncryptionAndAPrivateAclButNamesTheRest() {
        Map<String, String> applied = signedForm();
        applied.put("x-amz-server-side-encryption", "aws:kms");
        applied.put("x-amz-server-side-encryption-aws-kms-key-id", "alias/k");
        applied.put("acl", "private");
        assertThat(PostObjectHandler.unappliedField(applied)).isEmpty();
        Map<String, String> cases = Map.of(
                "acl", "public-read",
                "x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"",
                "x-amz-object-lock-mode", "GOVERNANCE",
                "x-amz-object-lock-legal-hold", "ON",
                "x-amz-storage-class", "GLACIER",
                "x-amz-website-redirect-location", "/other");
        cases.forEach((field, value) -> {
            Map<String, String> form = signedForm();
            form.put(field, value);
            assertThat(PostObjectHandler.unappliedField(form)).as(field).contains(field);
        });
    }
}
