package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control of the standalone store end to end with real clients (AWS CLI, curl, boto3:
 * scripts/compat/acl.sh) and two identities from an S3D_CREDENTIALS_FILE plus unsigned requests:
 * who may list and write, canned ACLs and grants, public-read for anonymous readers, ownership
 * controls and the public access block.
 */
class AccessControlIT {
    @TempDir
    Path store;
    @TempDir
    Path config;

    private static final Map<String, String> ALICE = Map.of("key", "AKIAALICE0000000001",
            "secret", "alice-secret-key-0000000000000000000001");
    private static final Map<String, String> BOB = Map.of("key", "AKIABOB000000000002",
            "secret", "bob-secret-key-00000000000000000000002");

    @Test
    void twoIdentitiesAndAnonymousSeeAwsAccessControl() throws Exception {
        String output = run("acl.sh", Map.of("ALICE_KEY", ALICE.get("key"), "ALICE_SECRET", ALICE.get("secret"),
                "BOB_KEY", BOB.get("key"), "BOB_SECRET", BOB.get("secret")));
        assertThat(output).contains("boto3 acl: 0 failure(s)").contains("acl: 0 failure(s)");
    }

    /**
     * Bucket policies decide beside the ACLs (scripts/compat/policy_enforcement.sh, boto3): a policy
     * Allow to "*" serves unsigned GETs of one prefix only, a Deny beats a FULL_CONTROL grant, and
     * aws:SecureTransport false refuses even the owner over plain HTTP.
     */
    @Test
    void bucketPoliciesAllowAnonymousReadsAndTheirDenyWins() throws Exception {
        String output = run("policy_enforcement.sh", Map.of("AWS_ACCESS_KEY_ID", ALICE.get("key"),
                "AWS_SECRET_ACCESS_KEY", ALICE.get("secret"), "SECOND_ACCESS_KEY_ID", BOB.get("key"),
                "SECOND_SECRET_ACCESS_KEY", BOB.get("secret")));
        assertThat(output).contains("policy enforcement (boto3): 0 failure(s)");
    }

    /** Runs a script of scripts/compat against a fresh s3d with alice's and bob's key pairs; returns its output. */
    private String run(String scriptName, Map<String, String> env) throws Exception {
        Path credentials = config.resolve("credentials");
        Files.writeString(credentials, "[alice]\naws_access_key_id = " + ALICE.get("key")
                + "\naws_secret_access_key = " + ALICE.get("secret") + "\n[bob]\naws_access_key_id = "
                + BOB.get("key") + "\naws_secret_access_key = " + BOB.get("secret") + "\n");
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of("S3D_CREDENTIALS_FILE", credentials.toString()))) {
            return CompatScript.run(s3d, scriptName, env);
        }
    }
}
