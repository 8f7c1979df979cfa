package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.s3d.TestClients;
import io.s3d.bench.wan.CutMode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The status page at {@code /_s3d/ui} in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}), in front of a gateway with the write queue, the read cache and client credentials: a
 * person signs in with an access key and secret, sees numbers that change after a PUT, sees a parked
 * write with its error, and the flush and retry buttons work; forms without the page's CSRF token or
 * from another origin are refused. Leaves a screenshot in {@code target/status-page.png}.
 */
class StatusPageIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String KEY = "ui-admin";
    private static final String SECRET = "ui-admin-secret";

    @TempDir
    static Path tmp;

    private static RemoteS3 remote;
    private static ServiceProcess s3d;
    private static S3Client s3;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "SKIPPED: no headless browser: apt-get install chromium chromium-driver to run the status page tests");
        remote = RemoteS3.start();
        Map<String, String> env = new HashMap<>(remote.gatewayEnv());
        env.put("S3D_WRITE_QUEUE", "true");
        env.put("S3D_READ_CACHE", "true");
        env.put("S3D_ACCESS_KEY_ID", KEY);
        env.put("S3D_SECRET_ACCESS_KEY", SECRET);
        s3d = ServiceProcess.start(tmp.resolve("store"), env);
        s3 = TestClients.s3(URI.create(s3d.endpoint()).toURL(), KEY, SECRET);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3d != null) {
            s3d.close();
        }
        if (remote != null) {
            remote.close();
        }
    }

    @Test
    void aPersonSignsInSeesLiveNumbersAndUsesTheQueueButtons() throws Exception {
        String page = s3d.endpoint() + "/_s3d/ui";
        browser.get(page);
        assertThat(browser.findElements(By.id("queue-items"))).as("numbers before signing in").isEmpty();

        signIn(KEY, "not-the-secret");
        assertThat(browser.findElement(By.id("notice")).getText()).contains("wrong secret");
        assertThat(browser.findElements(By.id("queue-items"))).isEmpty();

        signIn(KEY, SECRET);
        assertThat(text("mode")).isEqualTo("gateway");
        assertThat(text("user")).isEqualTo(KEY);
        assertThat(text("remote-reachable")).isEqualTo("yes");
        assertThat(text("queue-items")).isEqualTo("0");
        Cookie session = browser.manage().getCookieNamed("s3d_ui_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getPath()).isEqualTo("/_s3d/ui");

        // A PUT shows up: the bucket's object count, and after a flush the pushed counter.
        s3.createBucket(b -> b.bucket("ui-photos"));
        s3.putObject(b -> b.bucket("ui-photos").key("2026/cat.jpg"), RequestBody.fromString("meow"));
        browser.navigate().refresh();
        assertThat(browser.findElement(By.cssSelector("td[data-bucket='ui-photos']")).getText()).isEqualTo("1");
        click("flush");
        assertThat(text("notice")).startsWith("Flushed");
        assertThat(Long.parseLong(text("queue-pushed"))).isGreaterThanOrEqualTo(1);
        assertThat(text("queue-items")).isEqualTo("0");

        // Reads through the read cache: a miss, then a hit.
        for (int i = 0; i < 2; i++) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("ui-photos").key("2026/cat.jpg")).asUtf8String()).isEqualTo("meow");
        }
        browser.navigate().refresh();
        assertThat(text("cache-entries")).isEqualTo("1");
        assertThat(text("cache-hit-ratio")).isEqualTo("50.0 %");

        // A write to a bucket the remote does not have is parked, with its error on the page. With the
        // remote reachable s3d answers NoSuchBucket itself; out of reach it cannot know, acknowledges,
        // and the remote's answer parks the write once the link is back.
        remote.link().cut(CutMode.RESET);
        s3.putObject(b -> b.bucket("ui-orphan").key("lost.txt"), RequestBody.fromString("waiting"));
        remote.link().restore();
        new WebDriverWait(browser, Duration.ofSeconds(30)).pollingEvery(Duration.ofMillis(500)).until(d -> {
            d.navigate().refresh();
            return text("queue-parked").equals("1");
        });
        assertThat(browser.findElement(By.id("parked")).getText()).contains("ui-orphan/lost.txt").contains("NoSuchBucket");
        click("flush");
        assertThat(text("notice")).startsWith("Not flushed");

        try (S3Client direct = remote.directClient()) {
            direct.createBucket(b -> b.bucket("ui-orphan"));
        }
        click("retry");
        assertThat(text("notice")).startsWith("Parked writes are queued");
        click("flush");
        assertThat(text("notice")).startsWith("Flushed");
        assertThat(text("queue-parked")).isEqualTo("0");
        try (S3Client direct = remote.directClient()) {
            assertThat(direct.getObjectAsBytes(b -> b.bucket("ui-orphan").key("lost.txt")).asUtf8String()).isEqualTo("waiting");
        }

        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target/status-page.png"), StandardCopyOption.REPLACE_EXISTING);

        // Forms that did not come from the page are refused: no CSRF token, another origin, no session.
        HttpClient http = HttpClient.newHttpClient();
        String cookie = "s3d_ui_session=" + session.getValue();
        assertThat(post(http, page + "/flush", cookie, null, "csrf=guess").statusCode()).isEqualTo(403);
        String csrf = browser.findElement(By.name("csrf")).getDomProperty("value");
        assertThat(post(http, page + "/flush", cookie, "http://evil.example", "csrf=" + csrf).statusCode()).isEqualTo(403);
        HttpResponse<String> noSession = post(http, page + "/flush", null, null, "csrf=" + csrf);
        assertThat(noSession.statusCode()).isEqualTo(303);
        assertThat(noSession.headers().firstValue("Location")).hasValue("/_s3d/ui?notice=expired");
        assertThat(post(http, page + "/flush", cookie, null, "csrf=" + csrf).statusCode()).as("the page's own form").isEqualTo(303);

        click("sign-out");
        assertThat(browser.findElements(By.id("access_key"))).isNotEmpty();
        assertThat(post(http, page + "/flush", cookie, null, "csrf=" + csrf).headers().firstValue("Location"))
                .as("the session ended with the sign-out").hasValue("/_s3d/ui?notice=expired");
    }

    private static void signIn(String key, String secret) {
        browser.findElement(By.id("access_key")).clear();
        browser.findElement(By.id("access_key")).sendKeys(key);
        browser.findElement(By.id("secret_key")).sendKeys(secret);
        click("sign-in");
    }

    /** Clicks a form's button and waits for the page the form leads to (a POST, then a redirect). */
    private static void click(String id) {
        WebElement before = browser.findElement(By.tagName("html"));
        browser.findElement(By.id(id)).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(driver -> isGone(before));
    }

    /**
     * Whether the page an element belonged to has been replaced. ChromeDriver reports a node of a page
     * that is being replaced either as stale or, mid-navigation, as "does not belong to the document",
     * which Selenium's stalenessOf does not count as stale.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText().strip();
    }

    private static HttpResponse<String> post(HttpClient http, String url, String cookie, String origin, String form)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
