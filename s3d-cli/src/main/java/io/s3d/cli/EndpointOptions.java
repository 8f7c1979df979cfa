package io.s3d.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Where to send requests and as whom: {@code --endpoint}, {@code --profile}, {@code --region},
 * with the environment as fallback. Builds the {@link S3Client} (path-style, works against any
 * S3 endpoint).
 */
public class EndpointOptions {
    public static final String DEFAULT_ENDPOINT = "http://localhost:33333";
    public static final String DEFAULT_REGION = "us-east-1";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "S3 endpoint; default $S3D_ENDPOINT, else " + DEFAULT_ENDPOINT
                    + ". 'aws' means AWS S3 itself.")
    String endpoint;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Use the credentials of this profile in ~/.aws/credentials or ~/.aws/config.")
    String profile;

    @Option(names = "--region", paramLabel = "REGION",
            description = "Signing region; default $S3D_REGION, $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1.")
    String region;

    @Option(names = "--ca-bundle", paramLabel = "FILE",
            description = "PEM file of the certificate authorities to trust for an https endpoint (a private CA, "
                    + "a self-signed s3d); default $AWS_CA_BUNDLE, else the JDK's trust store.")
    Path caBundle;

    private S3Client client;
    private javax.net.ssl.SSLSocketFactory tls;

    S3dCommand root() {
        return (S3dCommand) mixee.root().userObject();
    }

    private String env(String name) {
        String v = root().env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The endpoint as the user gave it (or its default), for messages. */
    public String endpoint() {
        if (endpoint != null) {
            return endpoint;
        }
        String e = env("S3D_ENDPOINT");
        return e != null ? e : DEFAULT_ENDPOINT;
    }

    public boolean isAws() {
        return "aws".equalsIgnoreCase(endpoint());
    }

    /** The endpoint as a URI; a usage error when it is not an http(s) URL. */
    public URI endpointUri() {
        String e = endpoint();
        if (isAws()) {
            return URI.create("https://s3." + region() + ".amazonaws.com");
        }
        URI uri;
        try {
            uri = URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e);
        } catch (IllegalArgumentException ex) {
            throw CliException.usage("bad endpoint '" + e + "': " + ex.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw CliException.usage("bad endpoint '" + e + "': expected http://host:port or https://host");
        }
        if (uri.getHost().equals("0.0.0.0")) {
            // the daemon's "all interfaces" listen address; a client reaches it on localhost
            uri = URI.create(scheme + "://localhost" + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
        }
        return uri;
    }

    public String region() {
        if (region != null) {
            return region;
        }
        for (String name : new String[] {"S3D_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String v = env(name);
            if (v != null) {
                return v;
            }
        }
        return DEFAULT_REGION;
    }

    /**
     * S3D_* keys first (they are the daemon's client credentials), then an explicit profile,
     * the AWS_* variables, the AWS_PROFILE or default profile of ~/.aws; unsigned when none.
     */
    public AwsCredentialsProvider credentials() {
        String ak = env("S3D_ACCESS_KEY_ID");
        String sk = env("S3D_SECRET_ACCESS_KEY");
        if (ak != null && sk != null && profile == null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(ak, sk));
        }
        ProfileFile files = profileFile();
        if (profile != null) {
            if (files == null || files.profile(profile).isEmpty()) {
                throw new CliException("no profile '" + profile + "' in " + credentialsPath() + " or " + configPath(),
                        "create it with 'aws configure --profile " + profile + "'");
            }
            return ProfileCredentialsProvider.builder().profileFile(files).profileName(profile).build();
        }
        ak = env("AWS_ACCESS_KEY_ID");
        sk = env("AWS_SECRET_ACCESS_KEY");
        if (ak != null && sk != null) {
            String token = env("AWS_SESSION_TOKEN");
            AwsCredentials c = token == null ? AwsBasicCredentials.create(ak, sk) : AwsSessionCredentials.create(ak, sk, token);
            return StaticCredentialsProvider.create(c);
        }
        String name = env("AWS_PROFILE") != null ? env("AWS_PROFILE") : "default";
        if (files != null && files.profile(name).isPresent()
                && files.profile(name).get().property("aws_access_key_id").isPresent()) {
            return ProfileCredentialsProvider.builder().profileFile(files).profileName(name).build();
        }
        return AnonymousCredentialsProvider.create();
    }

    private Path credentialsPath() {
        String p = env("AWS_SHARED_CREDENTIALS_FILE");
        return p != null ? Path.of(p) : root().home.resolve(".aws").resolve("credentials");
    }

    private Path configPath() {
        String p = env("AWS_CONFIG_FILE");
        return p != null ? Path.of(p) : root().home.resolve(".aws").resolve("config");
    }

    private ProfileFile profileFile() {
        ProfileFile.Aggregator agg = ProfileFile.aggregator();
        boolean any = false;
        Path creds = credentialsPath();
        if (Files.isRegularFile(creds)) {
            agg.addFile(ProfileFile.builder().content(creds).type(ProfileFile.Type.CREDENTIALS).build());
            any = true;
        }
        Path config = configPath();
        if (Files.isRegularFile(config)) {
            agg.addFile(ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build());
            any = true;
        }
        return any ? agg.build() : null;
    }

    /** A client for s3d's admin endpoints ({@code /_s3d/...}), signed like the S3 client. */
    AdminClient admin() {
        return new AdminClient(endpointUri(), region(), credentials(), this::openConnection);
    }

    /** The client for this invocation, created on first use. */
    public S3Client client() {
        if (client == null) {
            var builder = S3Client.builder()
                    .region(Region.of(region()))
                    .credentialsProvider(credentials())
                    .httpClient(UrlConnectionHttpClient.create(this::openConnection));
            if (!isAws()) {
                builder.endpointOverride(endpointUri())
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
            }
            client = builder.build();
        }
        return client;
    }

    /**
     * Connections for the SDK's URLConnection client. Handing it a factory also spares it from
     * building a TLS context up front, which costs a few hundred milliseconds of start-up even
     * for a plain-http endpoint; https endpoints get the JDK's default TLS when they connect.
     */
    java.net.HttpURLConnection openConnection(URI uri) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) uri.toURL().openConnection(java.net.Proxy.NO_PROXY);
            if (c instanceof javax.net.ssl.HttpsURLConnection https && caBundleFactory() != null) {
                https.setSSLSocketFactory(caBundleFactory());
            }
            c.setConnectTimeout((int) Duration.ofSeconds(5).toMillis());
            c.setReadTimeout((int) Duration.ofMinutes(5).toMillis());
            return c;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The CA bundle to trust ({@code --ca-bundle}, else {@code $AWS_CA_BUNDLE}), or null for the JDK's. */
    Path caBundle() {
        if (caBundle != null) {
            return caBundle;
        }
        String e = env("AWS_CA_BUNDLE");
        return e == null ? null : Path.of(e);
    }

    /** TLS that trusts exactly the CA bundle's certificates; null without a bundle. */
    private javax.net.ssl.SSLSocketFactory caBundleFactory() {
        Path bundle = caBundle();
        if (bundle == null) {
            return null;
        }
        if (tls == null) {
            try (var in = Files.newInputStream(bundle)) {
                var certificates = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
                if (certificates.isEmpty()) {
                    throw new CliException("no certificate in the CA bundle " + bundle, "give a PEM file of CA certificates");
                }
                java.security.KeyStore trusted = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
                trusted.load(null, null);
                int i = 0;
                for (var certificate : certificates) {
                    trusted.setCertificateEntry("ca-" + i++, certificate);
                }
                var trust = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                var context = javax.net.ssl.SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                tls = context.getSocketFactory();
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new CliException("cannot read the CA bundle " + bundle + ": " + e.getMessage(),
                        "give a PEM file of CA certificates with --ca-bundle or AWS_CA_BUNDLE");
            }
        }
        return tls;
    }
}
