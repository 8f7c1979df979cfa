package io.s3d.bench.peer;

/** The one access key every server in the suite accepts (they only listen on loopback). */
public final class Credentials {
    /** Access key id. */
    public static final String ACCESS_KEY = "bench-access-key";
    /** Secret access key. */
    public static final String SECRET_KEY = "bench-secret-key";

    private Credentials() {
    }
}
