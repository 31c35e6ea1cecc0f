package io.jasyncio.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import io.jasyncio.sql.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code demo crawl} against a real local site: Python's http.server serving 30 generated pages. */
@Timeout(120)
class CrawlerTest {
    private static final LoopOptions OPTS = LoopOptions.defaults().withHandleSigint(false);
    private static final int PAGES = 30;

    @TempDir
    static Path site;
    private static Process server;
    private static URI start;

    @BeforeAll
    static void serveSite() throws Exception {
        for (int i = 0; i < PAGES; i++) {
            String next = "p" + ((i + 1) % PAGES) + ".html";
            String jump = "/p" + ((i * 7) % PAGES) + ".html#section";
            Files.writeString(site.resolve("p" + i + ".html"), "<html><head><title>Page " + i + "</title></head><body>"
                    + "<a href='" + next + "'>next</a> <a href='" + jump + "'>jump</a> <a href='missing.html'>broken</a>"
                    + " <a href='http://elsewhere.invalid/x'>external</a> <a href='mailto:a@b.c'>mail</a></body></html>");
        }
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new ProcessBuilder("python3", "-m", "http.server", "--bind", "127.0.0.1", Integer.toString(port), "--directory", site.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; ; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (IOException notYet) {
                if (i > 200 || !server.isAlive()) {
                    throw new IOException("python3 -m http.server did not start");
                }
                Thread.sleep(50);
            }
        }
        start = URI.create("http://127.0.0.1:" + port + "/p0.html");
    }

    @AfterAll
    static void stopSite() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Crawler.Settings settings(int maxPages, Duration deadline, Path db) {
        return new Crawler.Settings(start, 8, 4, maxPages, deadline, db, 1);
    }

    @Test
    void crawlsTheWholeSiteOncePerPage() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Crawler.Summary s = Asyncio.run(() -> Crawler.crawl(settings(1000, null, null), new PrintStream(text, true)), OPTS);
        assertThat(s.pages()).isEqualTo(PAGES + 1); // every page, and missing.html once
        assertThat(s.outcomes()).containsEntry("200", PAGES).containsEntry("404", 1).hasSize(2);
        assertThat(s.errors()).isZero();
        assertThat(s.endedBy()).isEqualTo("done");
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("ended by done: 31 pages");
    }

    @Test
    void maxPagesBoundsTheCrawl() {
        Crawler.Summary s = Asyncio.run(() -> Crawler.crawl(settings(5, null, null), new PrintStream(new ByteArrayOutputStream())), OPTS);
        assertThat(s.pages()).isEqualTo(5);
    }

    @Test
    void pagesAreStoredInSqlite(@TempDir Path dir) {
        Path db = dir.resolve("crawl.db");
        Crawler.Summary s = Asyncio.run(() -> Crawler.crawl(settings(1000, null, db), new PrintStream(new ByteArrayOutputStream())), OPTS);
        assertThat(s.stored()).isEqualTo(PAGES + 1);
        Asyncio.run(() -> {
            try (Database d = Database.open("sqlite:" + db)) {
                assertThat(d.fetchValue(Long.class, "SELECT count(*) FROM pages")).isEqualTo(PAGES + 1);
                assertThat(d.fetchValue(String.class, "SELECT title FROM pages WHERE url = ?", start.toString())).isEqualTo("Page 0");
                assertThat(d.fetchValue(Long.class, "SELECT count(*) FROM pages WHERE status = 404")).isEqualTo(1);
            }
            return null;
        }, OPTS);
    }

    @Test
    void theDeadlineStopsItWithASummary() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Crawler.Summary s = Asyncio.run(() -> Crawler.crawl(settings(1000, Duration.ofMillis(1), null), new PrintStream(text, true)), OPTS);
        assertThat(s.endedBy()).startsWith("the deadline");
        assertThat(s.pages()).isLessThan(PAGES + 1);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("ended by the deadline");
    }

    @Test
    void cancellingStopsAtOnceWithTheSummary(@TempDir Path dir) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Path db = dir.resolve("partial.db");
        Asyncio.run(() -> {
            Task<Crawler.Summary> crawl = Asyncio.createTask(() -> Crawler.crawl(settings(1000, null, db), new PrintStream(text, true)));
            Asyncio.sleep(0.05);
            crawl.cancel();
            try {
                Asyncio.await(crawl);
            } catch (CancelledError expected) {
                // as Ctrl-C does
            }
            assertThat(crawl.cancelled()).isTrue();
            return null;
        }, OPTS);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("ended by Ctrl-C").contains("stored: ");
    }

    @Test
    void theCommandLineRefusesBadInput() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Demo()).setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("crawl")).isEqualTo(2);
        assertThat(err.toString()).contains("crawl needs a start URL");
        assertThat(cli.execute("crawl", "ftp://x/")).isEqualTo(2);
        assertThat(err.toString()).contains("not an http(s) URL");
        assertThat(cli.execute("crawl", start.toString(), "--concurrency", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("at least 1");
    }

    @Test
    void theCommandRuns() {
        PrintStream saved = System.out;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setOut(new PrintStream(text, true));
        try {
            assertThat(new CommandLine(new Demo()).execute("crawl", start.toString(), "--max-pages", "3")).isZero();
        } finally {
            System.setOut(saved);
        }
        assertThat(List.of(text.toString().split("\n"))).anyMatch(l -> l.contains("ended by done: 3 pages"));
    }
}
