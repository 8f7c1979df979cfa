package io.s3d.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Where the credentials come from, checked by S3Proxy accepting or refusing the signature. */
@ExtendWith(S3ProxyServer.class)
class CredentialsTest {
    static String bucket;

    @BeforeAll
    static void bucket() {
        bucket = TestS3.bucket("creds");
    }

    static Cli anonymous() {
        return new Cli().env("S3D_ENDPOINT", S3ProxyServer.endpoint());
    }

    @Test
    void awsEnvironmentVariables() {
        Cli.Result r = anonymous().env("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY).run("ls", bucket);
        assertEquals(0, r.exit(), r.toString());
        // S3D_* come first: they are the daemon's client credentials
        r = anonymous().env("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY).env("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY)
                .env("S3D_ACCESS_KEY_ID", "other").env("S3D_SECRET_ACCESS_KEY", "other").run("ls", bucket);
        assertEquals(ExitCodes.ERROR, r.exit(), r.toString());
    }

    @Test
    void profilesFromTheAwsFiles(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n"
                + "[s3proxy]\naws_access_key_id = " + S3ProxyServer.ACCESS_KEY + "\naws_secret_access_key = " + S3ProxyServer.SECRET_KEY + "\n");
        assertEquals(0, anonymous().home(home).run("ls", bucket, "--profile", "s3proxy").exit());
        assertEquals(0, anonymous().home(home).env("AWS_PROFILE", "s3proxy").run("ls", bucket).exit());
        Cli.Result def = anonymous().home(home).run("ls", bucket);
        assertEquals(ExitCodes.ERROR, def.exit(), "the default profile is used and its keys are wrong: " + def);
        assertTrue(def.err().contains("InvalidAccessKeyId") || def.err().contains("AccessDenied")
                || def.err().contains("SignatureDoesNotMatch"), def.toString());

        Path elsewhere = Files.writeString(home.resolve("creds.ini"), "[x]\naws_access_key_id = " + S3ProxyServer.ACCESS_KEY
                + "\naws_secret_access_key = " + S3ProxyServer.SECRET_KEY + "\n");
        assertEquals(0, anonymous().env("AWS_SHARED_CREDENTIALS_FILE", elsewhere.toString()).run("ls", bucket, "--profile", "x").exit());

        Cli.Result missing = anonymous().home(home).run("ls", bucket, "--profile", "nope");
        assertEquals(ExitCodes.ERROR, missing.exit());
        assertTrue(missing.err().contains("no profile 'nope'"), missing.toString());
    }

    @Test
    void unsignedWithoutCredentials() {
        Cli.Result r = anonymous().run("ls", bucket);
        assertEquals(ExitCodes.ERROR, r.exit(), "S3Proxy requires a signature: " + r);
        assertTrue(r.err().contains("AccessDenied"), r.toString());
        assertTrue(r.err().contains("hint: check S3D_ACCESS_KEY_ID"), r.toString());
    }
}
