package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.http.HttpResponse;
import io.jasyncio.http.HttpServer;
import io.jasyncio.http.Router;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W7 of docs/benchmarks/WORKLOADS.md: the keep-alive HTTP hello server ({@code GET /} → 200,
 * {@code text/plain}, {@code Hello, World!}) on one loop, and a harness that measures it with wrk the way
 * the peers' {@code scripts/w7-http.sh} does: server pinned to cpu 0, {@code wrk -t1 -c64 --latency}
 * pinned to cpu 1, one discarded 3 s warm-up, then measured runs; one JSON line per run in the peers'
 * format, then the median.
 * <pre>
 * taskset -c 0 java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.HttpHello serve 9200
 * java -cp jasyncio-bench.jar io.jasyncio.bench.HttpHello w7 [DURATION_S [RUNS [CONNECTIONS]]]   (default 10 3 64)
 * </pre>
 * Check it at tiny scale only ({@code w7 1 1 4}); the figures come from a quiet machine.
 */
public final class HttpHello {
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P50 = Pattern.compile("^\\s+50%\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern P99 = Pattern.compile("^\\s+99%\\s+(\\S+)", Pattern.MULTILINE);

    private HttpHello() {}

    static Router router() {
        return new Router().get("/", request -> HttpResponse.bytes(HELLO, "text/plain"));
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "serve";
        switch (mode) {
            case "serve" -> serve(args.length > 1 ? Integer.parseInt(args[1]) : 9200);
            case "w7" -> w7(args.length > 1 ? Integer.parseInt(args[1]) : 10, args.length > 2 ? Integer.parseInt(args[2]) : 3,
                    args.length > 3 ? Integer.parseInt(args[3]) : 64);
            default -> {
                System.err.println("usage: HttpHello serve [PORT] | w7 [DURATION_S [RUNS [CONNECTIONS]]]");
                System.exit(2);
            }
        }
    }

    /** Serves until Ctrl-C; prints one line once listening. */
    static void serve(int port) {
        Asyncio.run(() -> {
            HttpServer server = HttpServer.start(router(), "127.0.0.1", port);
            System.out.println("jasyncio http hello (" + Asyncio.getRunningLoop().engine() + " engine) on 127.0.0.1:" + server.port());
            server.serveUntilCancelled(Duration.ofSeconds(1));
            return null;
        }, LoopOptions.defaults());
    }

    record Run(double requestsPerSecond, String p50, String p99, String errors) {}

    /** Starts {@code serve} pinned to cpu 0 and drives it with wrk pinned to cpu 1; returns the runs. */
    static List<Run> w7(int seconds, int runs, int connections) throws Exception {
        boolean pin = onPath("taskset");
        int port = freePort();
        List<String> server = new ArrayList<>();
        if (pin) {
            server.addAll(List.of("taskset", "-c", "0"));
        }
        server.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms2g", "-Xmx2g",
                "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HttpHello.class.getName(), "serve", Integer.toString(port)));
        java.lang.Process p = new ProcessBuilder(server).redirectErrorStream(true).start();
        List<Run> results = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            if (ready == null || !ready.contains("on 127.0.0.1:")) {
                throw new IOException("the hello server did not start: " + ready);
            }
            System.out.println(ready);
            String url = "http://127.0.0.1:" + port + "/";
            wrk(pin, Math.min(3, seconds), connections, url); // warm-up, discarded
            for (int r = 1; r <= runs; r++) {
                String report = wrk(pin, seconds, connections, url);
                Run run = parse(report);
                results.add(run);
                System.out.printf("{\"peer\":\"jasyncio\",\"run\":%d,\"req_per_s\":%.2f,\"p50\":\"%s\",\"p99\":\"%s\",\"errors\":\"%s\"}%n",
                        r, run.requestsPerSecond(), run.p50(), run.p99(), run.errors());
            }
            double[] rps = results.stream().mapToDouble(Run::requestsPerSecond).sorted().toArray();
            System.out.printf("{\"peer\":\"jasyncio\",\"median_req_per_s\":%.2f}%n", rps[rps.length / 2]);
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return results;
    }

    private static String wrk(boolean pin, int seconds, int connections, String url) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (pin) {
            cmd.addAll(List.of("taskset", "-c", "1"));
        }
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", url));
        java.lang.Process w = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String report = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!w.waitFor(seconds + 30L, TimeUnit.SECONDS) || w.exitValue() != 0) {
            w.destroyForcibly();
            throw new IOException("wrk failed: " + report);
        }
        return report;
    }

    static Run parse(String report) {
        Matcher rps = RPS.matcher(report);
        Matcher p50 = P50.matcher(report);
        Matcher p99 = P99.matcher(report);
        if (!rps.find()) {
            throw new IllegalArgumentException("no Requests/sec in wrk's report: " + report);
        }
        StringBuilder errors = new StringBuilder();
        for (String line : report.split("\n")) {
            if (line.contains("Non-2xx") || line.contains("Socket errors")) {
                errors.append(line.trim()).append(' ');
            }
        }
        return new Run(Double.parseDouble(rps.group(1)), p50.find() ? p50.group(1) : "", p99.find() ? p99.group(1) : "",
                errors.toString().trim());
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
