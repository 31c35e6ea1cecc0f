package io.jasyncio.bench;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import io.jasyncio.http.ClientOptions;
import io.jasyncio.http.HttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP client workload of issue 13: {@code --requests} keep-alive GETs of one URL from
 * {@code --concurrency} concurrent requesters, as fast as the server answers, reading each body whole.
 *
 * <ul>
 * <li><b>jasyncio</b>: one loop, {@code concurrency} tasks sharing one {@link HttpClient} whose pool keeps
 *     {@code concurrency} connections to the host.</li>
 * <li><b>jdk-httpclient</b>: {@code java.net.http.HttpClient} (HTTP/1.1), {@code concurrency} virtual threads
 *     each calling {@code send}; the client's own pool keeps the connections alive.</li>
 * </ul>
 * The aiohttp client runs the same load from scripts/http_client_aiohttp.py, in the same session
 * (scripts/http-client-bench.sh). Output: {@code http-client <who> <requests/s>} per round, then the median.
 */
public final class HttpClientWorkloads {
    private URI url;
    private int requests = 20_000;
    private int concurrency = 64;
    private int rounds = 3;

    public static void main(String[] args) throws Exception {
        HttpClientWorkloads w = new HttpClientWorkloads();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> w.url = URI.create(value(args, ++i));
                case "--requests" -> w.requests = Integer.parseInt(value(args, ++i));
                case "--concurrency" -> w.concurrency = Integer.parseInt(value(args, ++i));
                case "--rounds" -> w.rounds = Integer.parseInt(value(args, ++i));
                case "--help", "-h" -> {
                    System.out.println("usage: HttpClientWorkloads --url http://127.0.0.1:PORT/ [--requests 20000] [--concurrency 64] [--rounds 3]");
                    return;
                }
                default -> {
                    System.err.println("HttpClientWorkloads: unknown argument '" + args[i] + "' (try --help)");
                    return;
                }
            }
        }
        if (w.url == null) {
            System.err.println("HttpClientWorkloads: --url is required (try --help)");
            return;
        }
        w.run();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private void run() throws Exception {
        jasyncio(); // warm-up: JIT and the server's connections
        jdk();
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ours[r] = jasyncio();
            System.out.printf(Locale.ROOT, "http-client jasyncio        %.0f req/s%n", ours[r]);
            theirs[r] = jdk();
            System.out.printf(Locale.ROOT, "http-client jdk-httpclient  %.0f req/s%n", theirs[r]);
        }
        System.out.printf(Locale.ROOT, "median jasyncio %.0f req/s, jdk-httpclient %.0f req/s (ratio %.2f)%n",
                median(ours), median(theirs), median(ours) / median(theirs));
    }

    /** Requests per second, jasyncio's client. */
    double jasyncio() {
        return Asyncio.run(() -> {
            ClientOptions options = ClientOptions.DEFAULTS.withMaxConnectionsPerHost(concurrency)
                    .withMaxConnections(concurrency); // otherwise the defaults: cookies and gzip on, as aiohttp's
            try (HttpClient client = HttpClient.create(options)) {
                AtomicInteger left = new AtomicInteger(requests);
                long t0 = System.nanoTime();
                List<Task<Integer>> workers = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    workers.add(createTask(() -> {
                        int bytes = 0;
                        while (left.getAndDecrement() > 0) {
                            bytes += client.get(url).bytes().length;
                        }
                        return bytes;
                    }));
                }
                gather(workers);
                return requests / ((System.nanoTime() - t0) / 1e9);
            }
        });
    }

    /** Requests per second, the JDK's HttpClient on virtual threads. */
    double jdk() throws Exception {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicInteger left = new AtomicInteger(requests);
            HttpRequest request = HttpRequest.newBuilder(url).build();
            long t0 = System.nanoTime();
            List<java.util.concurrent.Future<?>> all = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                all.add(threads.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    }
                    return null;
                }));
            }
            for (var f : all) {
                f.get();
            }
            return requests / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
