package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.s3d.TestClients;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Bucket CORS as a browser app uses it: a page served from another origin (a tiny HTTP server on
 * another port) does a cross-origin PUT with a presigned URL and a metadata header (so the browser
 * sends a preflight first) and a GET reading the exposed ETag, in a real headless Chromium
 * (Debian's {@code chromium} and {@code chromium-driver}); with rules that do not list the page's
 * origin, the browser's fetch fails. Also the AWS CLI's put/get/delete-bucket-cors and curl preflights.
 * s3d runs standalone with credentials.
 */
class CorsBrowserIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String KEY = "cors-key";
    private static final String SECRET = "cors-secret";

    @TempDir
    static Path tmp;

    private static ServiceProcess s3d;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static HttpServer pages;
    private static String pageOrigin;
    private static final AtomicReference<String> page = new AtomicReference<>("");

    @BeforeAll
    static void start() throws Exception {
        s3d = ServiceProcess.start(tmp.resolve("store"), Map.of("S3D_ACCESS_KEY_ID", KEY,
                "S3D_SECRET_ACCESS_KEY", SECRET));
        s3 = TestClients.s3(URI.create(s3d.endpoint()).toURL(), KEY, SECRET);
        presigner = S3Presigner.builder().endpointOverride(URI.create(s3d.endpoint()))
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(KEY, SECRET)))
                .build();
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            byte[] html = page.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        pages.start();
        pageOrigin = "http://127.0.0.1:" + pages.getAddress().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pages != null) {
            pages.stop(0);
        }
        if (presigner != null) {
            presigner.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3d != null) {
            s3d.close();
        }
    }

    private static String presignedPut(String bucket, String key) {
        return presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(10)).putObjectRequest(
                o -> o.bucket(bucket).key(key).metadata(Map.of("a", "from-browser")))).url().toString();
    }

    private static String presignedGet(String bucket, String key) {
        return presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(10)).getObjectRequest(
                o -> o.bucket(bucket).key(key))).url().toString();
    }

    /** A page that PUTs then GETs cross-origin and writes what it could see into #result. */
    private static String uploadPage(String putUrl, String getUrl) {
        return "<!doctype html><html><body><pre id=\"result\">running</pre><script>\n"
                + "(async () => {\n"
                + "  const out = document.getElementById('result');\n"
                + "  try {\n"
                + "    const put = await fetch('" + putUrl + "', {method: 'PUT',"
                + " headers: {'x-amz-meta-a': 'from-browser'}, body: 'written by a web page'});\n"
                + "    const get = await fetch('" + getUrl + "');\n"
                + "    const text = await get.text();\n"
                + "    out.textContent = 'put ' + put.status + ' get ' + get.status + ' etag '"
                + " + get.headers.get('ETag') + ' body ' + text;\n"
                + "  } catch (e) {\n"
                + "    out.textContent = 'error ' + e.name + ': ' + e.message;\n"
                + "  }\n"
                + "})();\n"
                + "</script></body></html>";
    }

    private static String runInBrowser(WebDriver browser, String html) {
        page.set(html);
        browser.get(pageOrigin + "/app-" + System.nanoTime());
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> !d.findElement(By.id("result")).getText().equals("running"));
        return browser.findElement(By.id("result")).getText();
    }

    private static WebDriver browser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void aWebPageUploadsAndReadsBackCrossOriginOnlyWhenTheRulesListItsOrigin() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "SKIPPED: no headless browser: apt-get install chromium chromium-driver to run the CORS browser test");
        String bucket = "browser-app";
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(CORSRule.builder()
                .allowedOrigins(pageOrigin).allowedMethods("GET", "PUT").allowedHeaders("x-amz-meta-*")
                .exposeHeaders("ETag").maxAgeSeconds(60).build())));
        WebDriver browser = browser();
        try {
            String seen = runInBrowser(browser, uploadPage(presignedPut(bucket, "from-page.txt"),
                    presignedGet(bucket, "from-page.txt")));
            String etag = s3.headObject(b -> b.bucket(bucket).key("from-page.txt")).eTag();
            assertThat(seen).isEqualTo("put 200 get 200 etag " + etag + " body written by a web page");
            assertThat(s3.headObject(b -> b.bucket(bucket).key("from-page.txt")).metadata())
                    .containsEntry("a", "from-browser");

            // Rules for another origin only: the preflight is refused, the browser never sends the PUT.
            s3.putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(CORSRule.builder()
                    .allowedOrigins("https://elsewhere.example").allowedMethods("GET", "PUT")
                    .allowedHeaders("*").build())));
            String refused = runInBrowser(browser, uploadPage(presignedPut(bucket, "refused.txt"),
                    presignedGet(bucket, "from-page.txt")));
            assertThat(refused).startsWith("error TypeError");
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key("refused.txt")))
                    .isInstanceOf(NoSuchKeyException.class);
        } finally {
            browser.quit();
        }
    }

    private static Process run(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AWS_ACCESS_KEY_ID", KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET);
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        builder.environment().put("AWS_CONFIG_FILE", tmp.resolve("no-aws-config").toString());
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-aws-credentials").toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return process;
    }

    private static String output(Process process) throws Exception {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theAwsCliManagesTheRulesAndCurlSeesThePreflights() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/aws")) && Files.isExecutable(Path.of("/usr/bin/curl")),
                "SKIPPED: the AWS CLI or curl is missing");
        String bucket = "cli-cors";
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v"));
        Path rules = tmp.resolve("cors.json");
        Files.writeString(rules, "{\"CORSRules\": [{\"ID\": \"web\", \"AllowedOrigins\": [\"http://app.test\"],"
                + " \"AllowedMethods\": [\"GET\", \"PUT\"], \"AllowedHeaders\": [\"x-amz-*\"],"
                + " \"ExposeHeaders\": [\"ETag\"], \"MaxAgeSeconds\": 120}]}");
        List<String> aws = List.of("/usr/bin/aws", "--endpoint-url", s3d.endpoint(), "s3api");

        Process put = run(concat(aws, "put-bucket-cors", "--bucket", bucket, "--cors-configuration",
                "file://" + rules));
        String putOutput = output(put);
        assertThat(put.exitValue()).as(putOutput).isZero();
        Process get = run(concat(aws, "get-bucket-cors", "--bucket", bucket));
        String got = output(get);
        assertThat(get.exitValue()).as(got).isZero();
        assertThat(got.replaceAll("\\s", "")).contains("\"ID\":\"web\"").contains("\"AllowedOrigins\":[\"http://app.test\"]")
                .contains("\"AllowedMethods\":[\"GET\",\"PUT\"]").contains("\"MaxAgeSeconds\":120");

        Process preflight = run(List.of("/usr/bin/curl", "-s", "-i", "-X", "OPTIONS", "-H", "Origin: http://app.test",
                "-H", "Access-Control-Request-Method: PUT", "-H", "Access-Control-Request-Headers: x-amz-meta-a",
                s3d.endpoint() + "/" + bucket + "/k"));
        String allowed = output(preflight).toLowerCase(java.util.Locale.ROOT);
        assertThat(allowed).startsWith("http/1.1 200").contains("access-control-allow-origin: http://app.test")
                .contains("access-control-allow-methods: get, put").contains("access-control-allow-headers: x-amz-meta-a")
                .contains("access-control-max-age: 120");
        Process wrongOrigin = run(List.of("/usr/bin/curl", "-s", "-i", "-X", "OPTIONS", "-H",
                "Origin: http://evil.test", "-H", "Access-Control-Request-Method: PUT",
                s3d.endpoint() + "/" + bucket + "/k"));
        assertThat(output(wrongOrigin)).startsWith("HTTP/1.1 403").contains("<Code>AccessForbidden</Code>")
                .doesNotContainIgnoringCase("access-control-allow-origin");

        Process delete = run(concat(aws, "delete-bucket-cors", "--bucket", bucket));
        assertThat(delete.exitValue()).as(output(delete)).isZero();
        Process gone = run(concat(aws, "get-bucket-cors", "--bucket", bucket));
        String goneOutput = output(gone);
        assertThat(gone.exitValue()).isNotZero();
        assertThat(goneOutput).contains("NoSuchCORSConfiguration");
        Process afterDelete = run(List.of("/usr/bin/curl", "-s", "-i", "-X", "OPTIONS", "-H",
                "Origin: http://app.test", "-H", "Access-Control-Request-Method: GET",
                s3d.endpoint() + "/" + bucket + "/k"));
        assertThat(output(afterDelete)).startsWith("HTTP/1.1 403")
                .contains("CORSResponse: CORS is not enabled for this bucket.");
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
