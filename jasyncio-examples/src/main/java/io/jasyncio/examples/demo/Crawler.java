package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Queue;
import io.jasyncio.Task;
import io.jasyncio.http.ClientOptions;
import io.jasyncio.http.ClientResponse;
import io.jasyncio.http.HttpClient;
import io.jasyncio.http.HttpClientException;
import io.jasyncio.http.RetryPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * {@code ./jasyncio demo crawl URL}: fetches the pages of one site, following its links, on one loop.
 *
 * <p>{@code concurrency} worker tasks take URLs from one frontier {@link Queue}; the {@link HttpClient}
 * keeps at most {@code perHost} connections to the site (keep-alive, so a page costs one round trip, not a
 * TCP handshake) and retries what fails transiently. Links are extracted with jsoup and kept when they stay
 * on the start URL's origin; every URL is fetched once, and no more than {@code maxPages} are scheduled.
 * The crawl ends when the frontier is empty and no worker is busy ({@link Queue#join()}), at the deadline,
 * or on Ctrl-C; each way prints the same summary.
 *
 * <p>With {@code --db FILE}, each page (URL, status, bytes, title, links) is stored in SQLite by one writer
 * task in batches ({@link PageStore}).
 */
final class Crawler {
    /** What the command line asked for. */
    record Settings(URI start, int concurrency, int perHost, int maxPages, Duration deadline, Path db, int retries) {}

    /** How the crawl went. */
    record Summary(int pages, long bytes, int errors, Map<String, Integer> outcomes, double seconds, String endedBy, long stored) {
        double pagesPerSecond() {
            return seconds > 0 ? pages / seconds : 0;
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final String site;
    private final Queue<URI> frontier = new Queue<>();
    private final Set<URI> seen = new HashSet<>();
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int pages;
    private long bytes;
    private int errors;
    private double started;

    private Crawler(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.site = origin(settings.start());
    }

    /** Crawls and prints progress and the summary on {@code out}. Suspends until the crawl ends. */
    static Summary crawl(Settings settings, PrintStream out) throws Exception {
        return new Crawler(settings, out).run();
    }

    private Summary run() throws Exception {
        started = Asyncio.getRunningLoop().time();
        ClientOptions options = ClientOptions.DEFAULTS
                .withMaxConnectionsPerHost(settings.perHost())
                .withMaxConnections(Math.max(settings.perHost(), settings.concurrency()))
                .withReadTimeout(Duration.ofSeconds(20))
                .withRetry(RetryPolicy.attempts(settings.retries() + 1).withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)));
        String endedBy = "done";
        Summary summary;
        List<Task<Void>> workers = new ArrayList<>();
        Task<Void> progress = null;
        PageStore store = settings.db() == null ? null : PageStore.open(settings.db());
        try (HttpClient client = HttpClient.create(options)) {
            schedule(settings.start());
            for (int i = 0; i < settings.concurrency(); i++) {
                workers.add(Asyncio.createTask("crawler-" + i, () -> work(client, store)));
            }
            progress = Asyncio.createTask("crawl-progress", this::reportProgress);
            boolean finished = settings.deadline() == null
                    ? join()
                    : Asyncio.timeoutOrNull(settings.deadline(), this::join) != null;
            if (!finished) {
                endedBy = "the deadline (" + settings.deadline().toSeconds() + " s)";
            }
        } catch (CancelledError interrupted) {
            endedBy = "Ctrl-C";
            throw interrupted;
        } finally {
            for (Task<Void> w : workers) {
                w.cancel();
            }
            if (progress != null) {
                progress.cancel();
            }
            long stored = -1;
            if (store != null) {
                Asyncio.shielded(() -> {
                    store.close(); // rows already fetched are written even on Ctrl-C
                    return null;
                });
                stored = store.written();
                if (store.failure() != null) {
                    out.println("crawl: writing to " + settings.db() + " failed: " + store.failure().getMessage());
                }
            }
            summary = new Summary(pages, bytes, errors, outcomes, Asyncio.getRunningLoop().time() - started, endedBy, stored);
            printSummary(summary);
        }
        return summary;
    }

    private boolean join() {
        frontier.join();
        return true;
    }

    private Void work(HttpClient client, PageStore store) {
        while (true) {
            URI url = frontier.get();
            try {
                fetch(client, store, url);
            } finally {
                frontier.taskDone();
            }
        }
    }

    private void fetch(HttpClient client, PageStore store, URI url) {
        try (ClientResponse r = client.get(url)) {
            String type = r.header("Content-Type");
            String title = null;
            int links = 0;
            if (r.ok() && type != null && type.toLowerCase(Locale.ROOT).contains("html")) {
                Document doc = Jsoup.parse(r.text(), r.url().toString());
                title = doc.title();
                for (Element a : doc.select("a[href]")) {
                    links++;
                    URI link = normalize(a.absUrl("href"));
                    if (link != null && origin(link).equals(site)) {
                        schedule(link);
                    }
                }
            } else {
                r.body().discard();
            }
            pages++;
            bytes += r.body().bytesRead();
            outcomes.merge(Integer.toString(r.status()), 1, Integer::sum);
            if (store != null) {
                store.put(url.toString(), r.status(), r.body().bytesRead(), title, links);
            }
        } catch (HttpClientException e) {
            errors++;
            outcomes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        } catch (IOException e) {
            errors++;
            outcomes.merge("IOException", 1, Integer::sum);
        }
    }

    private void schedule(URI url) {
        if (seen.size() < settings.maxPages() && seen.add(url)) {
            frontier.putNowait(url);
        }
    }

    /** An absolute http(s) URL without its fragment, or null for anything else (mailto:, javascript:, junk). */
    static URI normalize(String href) {
        if (href == null || href.isEmpty()) {
            return null;
        }
        try {
            URI u = new URI(href);
            String scheme = u.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || u.getHost() == null) {
                return null;
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return new URI(scheme.toLowerCase(Locale.ROOT) + "://" + u.getRawAuthority().toLowerCase(Locale.ROOT) + path
                    + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String origin(URI u) {
        int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        return u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    private Void reportProgress() {
        boolean terminal = System.console() != null && out == System.out;
        while (true) {
            Asyncio.sleep(terminal ? 0.25 : 2.0);
            String line = progressLine();
            if (terminal) {
                out.print("\r" + line + "   ");
            } else {
                out.println(line);
            }
            out.flush();
        }
    }

    private String progressLine() {
        double elapsed = Asyncio.getRunningLoop().time() - started;
        return String.format(Locale.ROOT, "crawl: %d pages  %s  %d errors  %.1f pages/s  %d queued",
                pages, humanBytes(bytes), errors, elapsed > 0 ? pages / elapsed : 0.0, frontier.qsize());
    }

    private void printSummary(Summary s) {
        if (System.console() != null && out == System.out) {
            out.println();
        }
        out.printf(Locale.ROOT, "crawl of %s ended by %s: %d pages, %s, %d errors in %.2f s (%.1f pages/s)%n",
                settings.start(), s.endedBy(), s.pages(), humanBytes(s.bytes()), s.errors(), s.seconds(), s.pagesPerSecond());
        out.println("  outcomes: " + s.outcomes());
        if (s.stored() >= 0) {
            out.println("  stored: " + s.stored() + " pages in " + settings.db());
        }
    }

    static String humanBytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
