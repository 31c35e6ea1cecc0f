package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.timeout;

import com.sun.net.httpserver.HttpServer;
import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import io.jasyncio.http.ClientOptions;
import io.jasyncio.http.HttpClient;
import io.jasyncio.http.RetryPolicy;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.StreamReader;
import io.jasyncio.sql.Database;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** Chapter 11: networking, web scraping and databases. */
final class UseCases implements Chapter {
    @Override
    public String title() {
        return "Use cases: networking, web scraping, databases";
    }

    @Override
    public String explanation() {
        return """
                Networking: a local echo server serves many concurrent clients with one task each, on one
                thread. Web scraping: fetch pages from a local HTTP server with jasyncio's HttpClient, on the
                loop with no thread of its own: keep-alive connections, at most 5 to the host at a time, a retry
                with backoff when a page answers 503, and a timeout scope around each page that the request
                obeys. Databases: jasyncio-sql runs each JDBC connection on a worker thread of
                its own and suspends the task meanwhile, so the loop stays responsive; tasks wait for a free
                connection on the loop. Here SQLite (WAL mode, a pool of readers) answers concurrent queries.""";
    }

    @Override
    public String takeaway() {
        return "sockets and HTTP are awaited on the loop; database calls suspend while a worker thread runs them; pools bound concurrency.";
    }

    record Results(int echoed, int pages, int retries, double crawlSeconds, int maxInFlight, long dbRows, double worstLag) {}

    @Override
    public Object run(Out out) throws Exception {
        int echoed = echo(out);
        int[] crawl = crawl(out);
        double crawlSeconds = crawl[3] / 1000.0;
        long[] db = database(out);
        return new Results(echoed, crawl[0], crawl[1], crawlSeconds, crawl[2], db[0], db[1] / 1000.0);
    }

    private static int echo(Out out) throws Exception {
        try (Server server = Net.startServer((r, w) -> {
            for (byte[] line : r) {
                w.write(line);
                w.drain();
            }
            w.close();
        }, "127.0.0.1", 0)) {
            Stopwatch w = new Stopwatch();
            List<Task<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < 100; c++) {
                clients.add(createTask(() -> {
                    int ok = 0;
                    try (StreamPair conn = Net.openConnection("127.0.0.1", server.port())) {
                        for (int i = 0; i < 10; i++) {
                            conn.writer().write("ping " + i + "\n");
                            if (StreamReader.text(conn.reader().readline()).equals("ping " + i)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            int total = gather(clients).stream().mapToInt(Integer::intValue).sum();
            out.result("networking: 100 clients x 10 round trips = " + total + " echoes in " + w.text());
            return total;
        }
    }

    /** Returns {pages fetched, retries, max concurrent requests seen by the server, elapsed ms}. */
    private static int[] crawl(Out out) throws Exception {
        AtomicInteger inFlight = new AtomicInteger(), maxInFlight = new AtomicInteger();
        ConcurrentHashMap<String, Integer> attempts = new ConcurrentHashMap<>();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        http.setExecutor(Executors.newFixedThreadPool(16));
        http.createContext("/", exchange -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                String path = exchange.getRequestURI().getPath();
                int attempt = attempts.merge(path, 1, Integer::sum);
                Thread.sleep(100); // a slow page
                boolean flaky = path.endsWith("7") && attempt == 1;
                byte[] body = ("<title>" + path + "</title>").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(flaky ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        http.start();
        // One client session: keep-alive connections, at most 5 to this host (the concurrency bound), and a
        // retry with backoff for a page that answers 503. Each page also gets a 5 s deadline from an
        // enclosing timeout scope, which the request obeys with no setting of its own.
        ClientOptions options = ClientOptions.DEFAULTS.withMaxConnectionsPerHost(5)
                .withRetry(RetryPolicy.attempts(3).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
        try (HttpClient client = HttpClient.create(options)) {
            int port = http.getAddress().getPort();
            Stopwatch w = new Stopwatch();
            List<Task<String>> pages = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String url = "http://127.0.0.1:" + port + "/page" + i;
                pages.add(createTask(() -> timeout(Duration.ofSeconds(5), () -> client.get(url).raiseForStatus().text())));
            }
            int fetched = gather(pages).size();
            double elapsed = w.seconds();
            int retries = attempts.values().stream().mapToInt(Integer::intValue).sum() - fetched;
            out.result(String.format("web scraping: %d pages (100 ms each), at most %d at once, %d retr%s, in %.2f s (one by one: ~2 s)",
                    fetched, maxInFlight.get(), retries, retries == 1 ? "y" : "ies", elapsed));
            return new int[] {fetched, retries, maxInFlight.get(), (int) (elapsed * 1000)};
        } finally {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
    }

    /** Returns {rows counted, worst loop lag in ms}. */
    private static long[] database(Out out) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("jasyncio-tour", ".db");
        try (Database db = Database.open("sqlite:" + file)) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            db.executeMany("INSERT INTO t (v) VALUES (?)", IntStream.range(0, 20_000).mapToObj(i -> List.of("row " + i)).toList());
            LagMeter lag = new LagMeter(0.01);
            List<Task<Long>> queries = new ArrayList<>();
            for (int q = 0; q < 8; q++) {
                int mod = q;
                queries.add(createTask(() -> db.fetchValue(Long.class, "SELECT count(*) FROM t WHERE id % 8 = ?", mod)));
            }
            long rows = gather(queries).stream().mapToLong(Long::longValue).sum();
            double worst = lag.stop();
            out.result(String.format("databases: 8 concurrent SQLite queries counted %d rows; the loop was at most %.0f ms late",
                    rows, worst * 1000));
            return new long[] {rows, (long) (worst * 1000)};
        } finally {
            for (String suffix : List.of("", "-wal", "-shm")) {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + suffix));
            }
        }
    }
}
