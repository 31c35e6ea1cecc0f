package io.jasyncio.examples.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.examples.Chromium;
import io.jasyncio.examples.Main;
import io.jasyncio.examples.tour.HungProgram;
import io.jasyncio.http.ClientResponse;
import io.jasyncio.http.HttpClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./jasyncio monitor PID --web 0} end to end, three JVMs: {@link HungProgram} really hangs (two tasks
 * deadlocked on two Locks, one on a forgotten Event); a second JVM runs the command, which attaches to it
 * and serves the page; this test reads the JSON with the jasyncio HttpClient and has headless Chromium
 * render the page from that live data. Then the command's one-line errors.
 */
@Timeout(180)
class MonitorWebTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChildProgram hung;
    private static ChildProgram monitor;
    private static String url;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startTheHungProgramAndItsWebMonitor() throws Exception {
        hung = ChildProgram.java(HungProgram.class);
        hung.expect("hung");
        monitor = ChildProgram.java(Main.class, "monitor", Long.toString(hung.pid()), "--web", "0");
        String line = monitor.expectStart("monitor of PID " + hung.pid() + " on http://127.0.0.1:");
        url = line.substring(line.indexOf("http://"), line.indexOf(' ', line.indexOf("http://")));
    }

    @AfterAll
    static void stopThem() throws Exception {
        if (monitor != null) {
            monitor.close();
        }
        hung.close();
    }

    private static JsonNode snapshot() {
        return Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(); ClientResponse r = client.get(url + "snapshot.json")) {
                assertThat(r.status()).isEqualTo(200);
                return JSON.readTree(r.bytes());
            }
        }, LoopOptions.defaults().withHandleSigint(false));
    }

    /** Snapshots until the lag history has {@code points} points (a new sample each 0.6 s at most). */
    private static JsonNode withLagPoints(int points) throws InterruptedException {
        JsonNode s = snapshot();
        for (int i = 0; i < 50 && s.get("loops").get(0).get("lag").size() < points; i++) {
            Thread.sleep(600); // a snapshot is shared for half a second: this one is new
            s = snapshot();
        }
        return s;
    }

    private static JsonNode task(JsonNode loop, String name) {
        for (JsonNode t : loop.get("tasks")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no task " + name + " in " + loop);
    }

    @Test
    void theJsonShowsTheOtherJvmsTasksWhoAwaitsThemAndHowLongTheyWait() throws Exception {
        JsonNode first = snapshot();
        JsonNode s = withLagPoints(first.get("loops").get(0).get("lag").size() + 2);
        assertThat(s.get("source").asText()).isEqualTo("PID " + hung.pid());
        assertThat(s.get("error").asText()).isEmpty();
        JsonNode loop = s.get("loops").get(0);
        assertThat(loop.get("id").asLong()).isEqualTo(1);
        assertThat(loop.get("state").asText()).isEqualTo("running");
        long mainId = task(loop, "main").get("id").asLong();
        JsonNode transfer = task(loop, "transfer");
        assertThat(transfer.get("awaiting").asText()).startsWith("Lock.acquire on Lock[locked by report");
        assertThat(transfer.get("location").asText()).contains("HungProgram.move(HungProgram.java:30)");
        assertThat(transfer.get("awaitedBy").get(0).asLong()).isEqualTo(mainId);
        assertThat(task(loop, "notifier").get("awaiting").asText()).isEqualTo("Event.await on Event[unset, waiters=1]");
        assertThat(loop.get("deadlocks").get(0).asText()).contains("deadlock: ");
        assertThat(task(loop, "transfer").get("waitingSeconds").asDouble())
                .isGreaterThan(task(first.get("loops").get(0), "transfer").get("waitingSeconds").asDouble());
        assertThat(task(loop, "transfer").get("waitingAtLeast").asBoolean()).isTrue();
    }

    @Test
    void chromiumRendersTheTreeTheLagPlotAndTheWaitsFromLiveData(@TempDir Path profile) throws Exception {
        assumeTrue(Chromium.available(), "chromium is needed (.ci/run installs it)");
        withLagPoints(3); // the page's first poll already has a plot to draw
        Path dom = profile.resolve("dom.html");
        ProcessBuilder launch = Chromium.headless(profile, "--virtual-time-budget=3000", "--dump-dom", url)
                .redirectOutput(dom.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process browser = launch.start();
        try {
            assertThat(browser.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        } finally {
            browser.destroyForcibly();
        }
        Document page = Jsoup.parse(Files.readString(dom, StandardCharsets.UTF_8));
        assertThat(Integer.parseInt(page.body().attr("data-polls"))).as("the page refreshed itself: polls answered").isGreaterThanOrEqualTo(2);
        assertThat(page.getElementById("source").text()).isEqualTo("PID " + hung.pid());
        assertThat(page.getElementById("status").hasClass("error")).isFalse();
        Element section = page.getElementById("loop-1");
        assertThat(section).isNotNull();
        assertThat(section.selectFirst("h2").text()).startsWith("loop-1 (running, ").endsWith("4 tasks)");
        assertThat(section.select(".deadlock").text()).contains("deadlock: ");

        // the tree: main at the root, the group's three children under it
        Element tree = page.getElementById("tree-1");
        Element main = childNamed(tree, "main");
        assertThat(main).as("main is a root of the tree").isNotNull();
        List<String> children = new ArrayList<>();
        for (Element child : main.selectFirst("ul").children()) {
            children.add(child.selectFirst("span.name").text().replaceAll(" \\(id \\d+\\)", ""));
        }
        assertThat(children).containsExactlyInAnyOrder("transfer", "report", "notifier");
        Element transfer = childNamed(main.selectFirst("ul"), "transfer");
        assertThat(transfer.ownText()).contains("waiting: Lock.acquire on Lock[locked by report")
                .contains("HungProgram.java:30)");
        assertThat(transfer.className()).isEqualTo("waiting");

        // the lag plot: three series with a point per sample
        Element plot = page.getElementById("lag-1");
        assertThat(Integer.parseInt(plot.attr("data-points"))).isGreaterThanOrEqualTo(3);
        for (String series : new String[] {"p50", "p99", "max"}) {
            String points = plot.selectFirst("polyline." + series).attr("points");
            assertThat(points.split(" ")).hasSizeGreaterThanOrEqualTo(3).allMatch(p -> p.matches("\\d+(\\.\\d)?,\\d+(\\.\\d)?"));
        }
        assertThat(plot.selectFirst("text.ymax").text()).endsWith(" ms");

        // the waits: every waiting task, the longest first
        List<Double> waited = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Element row : page.getElementById("waits-1").select("tr[data-task]")) {
            waited.add(Double.parseDouble(row.child(0).text().replace("≥ ", "").replace(" s", "")));
            names.add(row.child(1).text().replaceAll(" \\(id \\d+\\)", ""));
        }
        assertThat(names).containsExactlyInAnyOrder("main", "transfer", "report", "notifier");
        assertThat(waited).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    /** The {@code li} child of list {@code ul} for the task named {@code name}, or null. */
    private static Element childNamed(Element ul, String name) {
        for (Element li : ul.children()) {
            Element label = li.selectFirst("span.name");
            if (label != null && label.text().matches(java.util.regex.Pattern.quote(name) + " \\(id \\d+\\)")) {
                return li;
            }
        }
        return null;
    }

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void aPortInUseIsAOneLineError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(run("monitor", Long.toString(hung.pid()), "--web", Integer.toString(taken.getLocalPort()))).isEqualTo(2);
            assertThat(err.toString()).startsWith("jasyncio: cannot serve the monitor on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .containsIgnoringCase("in use").hasLineCount(1);
        }
    }

    @Test
    void badWebOptionsAreOneLineErrors() {
        assertThat(run("monitor", Long.toString(hung.pid()), "--web", "70000")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("jasyncio: --web must be a port between 0 and 65535 (0: a free one), not 70000"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("monitor", Long.toString(hung.pid()), "--web", "0", "--iterations", "3")).isEqualTo(2);
        assertThat(err.toString()).startsWith("jasyncio: --iterations and --interval are for the terminal view").hasLineCount(1);
        err.getBuffer().setLength(0);
        assertThat(run("monitor", "99999999", "--web", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("jasyncio: there is no process with PID 99999999" + System.lineSeparator());
    }

    @Test
    void aJvmWithoutAnEventLoopIsRefusedBeforeAnythingIsServed() throws Exception {
        try (ChildProgram plain = ChildProgram.java(NoLoopJvm.class)) {
            plain.expect("up");
            assertThat(run("monitor", Long.toString(plain.pid()), "--web", "0")).isEqualTo(2);
            assertThat(err.toString()).startsWith("jasyncio: PID " + plain.pid() + " runs no jasyncio event loop").hasLineCount(1);
            assertThat(out.toString()).doesNotContain("http://");
        }
    }

    @Test
    void helpNamesTheWebOption() {
        assertThat(run("monitor", "--help")).isZero();
        assertThat(out.toString()).contains("--web=PORT").contains("./jasyncio monitor 12345 --web 8090");
    }
}
