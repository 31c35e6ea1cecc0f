package io.jasyncio.http.monitor;

import io.jasyncio.Asyncio;
import io.jasyncio.http.HttpResponse;
import io.jasyncio.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The live monitor web page on a {@link Router}: the task tree of every loop (who awaits whom, state, what
 * each task awaits, its user line), a lag plot (p50/p99/max of each second, over the last minutes), and the
 * tasks that have waited longest; the page polls once a second and works offline (no script or style from
 * elsewhere).
 *
 * <pre>{@code
 * Router router = new Router().get("/", ...);
 * MonitorPage.mount(router, "/monitor", MonitorSampler.thisJvm());   // this service's own loops
 * HttpServer.start(router, "127.0.0.1", 8080);                       // open http://127.0.0.1:8080/monitor/
 * }</pre>
 *
 * <p>{@code ./jasyncio monitor PID --web PORT} serves the same page for another JVM, read through JMX.
 *
 * <table>
 * <caption>Routes (under the prefix)</caption>
 * <tr><th>path</th><th>answer</th></tr>
 * <tr><td>{@code /}</td><td>the page (HTML, script and style inline)</td></tr>
 * <tr><td>{@code /snapshot.json}</td><td>a {@link MonitorSnapshot} as JSON, at most half a second old
 *     ({@link MonitorSampler#recent()}); {@code Cache-Control: no-store}</td></tr>
 * <tr><td>the prefix without {@code /}</td><td>a redirect to the page (a non-empty prefix only)</td></tr>
 * </table>
 *
 * <p>What the page shows is what {@code ./jasyncio ps} shows: task names, stacks and what they wait for. Mount
 * it where only those who may read that can reach it (a loopback address, behind authentication middleware).
 *
 * <p>Threading: the routes are served on the server's loop; each snapshot is read off it
 * ({@code Asyncio.toThread}), because reading the beans blocks, and the watched loop may be the server's own.
 */
public final class MonitorPage {
    private static final String PAGE_RESOURCE = "monitor.html";
    private static final byte[] PAGE = load();

    private MonitorPage() {}

    /**
     * Adds the monitor's routes under {@code prefix} ({@code ""} for the root, else a path such as
     * {@code "/monitor"} without a trailing slash) to {@code router}, fed by {@code sampler}.
     *
     * @return {@code router}
     * @throws IllegalArgumentException for a prefix that does not start with {@code /} or ends with one
     */
    public static Router mount(Router router, String prefix, MonitorSampler sampler) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(sampler, "sampler");
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new IllegalArgumentException("the monitor's prefix must be \"\" or start with '/' and not end with"
                    + " one (\"/monitor\"), not \"" + prefix + "\"");
        }
        router.get(prefix + "/", request -> HttpResponse.bytes(PAGE, "text/html; charset=utf-8")
                .header("Cache-Control", "no-store"));
        router.get(prefix + "/snapshot.json", request -> HttpResponse.json(Asyncio.toThread(sampler::recent))
                .header("Cache-Control", "no-store"));
        if (!prefix.isEmpty()) {
            router.get(prefix, request -> HttpResponse.redirect(308, prefix + "/"));
        }
        return router;
    }

    private static byte[] load() {
        try (InputStream in = MonitorPage.class.getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the monitor page " + PAGE_RESOURCE + " is missing from jasyncio-http's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the monitor page: " + e.getMessage(), e);
        }
    }
}
