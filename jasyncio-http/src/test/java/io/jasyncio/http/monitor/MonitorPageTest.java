package io.jasyncio.http.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jasyncio.Asyncio;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.EventLoopMXBean;
import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.http.ClientResponse;
import io.jasyncio.http.HttpClient;
import io.jasyncio.http.HttpServer;
import io.jasyncio.http.Router;
import io.jasyncio.test.StrictLoop;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMX;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The in-process monitor: a loop with tasks that really hang (two deadlocked on two Locks, one on a
 * forgotten Event, one in a long sleep), the page mounted on a real {@link HttpServer}, the JSON fetched
 * with the jasyncio {@link HttpClient}; and the sampler's wait clock and error path.
 */
@Timeout(120)
class MonitorPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Holds {@code first}, then takes {@code second}. */
    private static Void move(Lock first, Lock second) {
        try (Held a = first.acquire()) {
            Asyncio.sleep(0.01); // the other task takes its first lock meanwhile
            try (Held b = second.acquire()) {
                return null;
            }
        }
    }

    /** Starts the hung day: "day" runs a TaskGroup of transfer, report (deadlocked), notifier and sleeper. */
    private static Task<Void> startHungDay() throws Exception {
        Lock savings = new Lock();
        Lock checking = new Lock();
        Event never = new Event();
        Task<Void> day = Asyncio.createTask("day", () -> {
            TaskGroup.run(tg -> {
                tg.createTask("transfer", () -> move(savings, checking));
                tg.createTask("report", () -> move(checking, savings));
                tg.createTask("notifier", never::await);
                tg.createTask("sleeper", () -> {
                    Asyncio.sleep(Duration.ofHours(1));
                    return null;
                });
            });
            return null;
        });
        Asyncio.sleep(0.1); // both movers hold one lock and want the other's
        return day;
    }

    private static void stop(Task<Void> day) throws Exception {
        day.cancel();
        try {
            day.await();
        } catch (io.jasyncio.CancelledError expected) {
            // the group's tasks are cancelled with it
        }
    }

    /** Polls the JSON until the loop's bean is registered (bounded), returns that snapshot's loop. */
    private static JsonNode firstLoop(HttpClient client, String url, long loopId) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonNode snap = fetch(client, url);
            for (JsonNode loop : snap.get("loops")) {
                if (loop.get("id").asLong() == loopId) {
                    return loop;
                }
            }
            Asyncio.sleep(0.05);
        }
        throw new AssertionError("the loop's bean never appeared in " + url);
    }

    private static JsonNode fetch(HttpClient client, String url) throws Exception {
        try (ClientResponse r = client.get(url)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("application/json");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            return JSON.readTree(r.bytes());
        }
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
    void snapshotShowsTheHungTasksWhoAwaitsThemTheirWaitsAndTheLag() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Task<Void> day = startHungDay();
            Router router = MonitorPage.mount(new Router(), "/monitor", new MonitorSampler("this test", LoopSource.of(loop)));
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
            HttpClient client = HttpClient.create();
            try {
                String base = "http://127.0.0.1:" + server.port() + "/monitor";
                JsonNode first = firstLoop(client, base + "/snapshot.json", loop.getId());
                List<JsonNode> samples = new ArrayList<>(List.of(first));
                for (int i = 0; i < 2; i++) {
                    Asyncio.sleep(0.6); // longer than the half second for which a snapshot is shared
                    samples.add(firstLoop(client, base + "/snapshot.json", loop.getId()));
                }
                JsonNode last = samples.get(2);
                assertThat(last.get("state").asText()).isEqualTo("running");
                assertThat(last.get("engine").asText()).isEqualTo(loop.engine());
                assertThat(last.get("metrics").get("measuring").asBoolean()).isTrue();
                assertThat(last.get("lag").size()).as("one lag point per sample").isGreaterThanOrEqualTo(3);
                assertThat(last.get("lag").get(0).has("p99Ms")).isTrue();

                JsonNode transfer = task(last, "transfer");
                assertThat(transfer.get("state").asText()).isEqualTo("waiting");
                assertThat(transfer.get("awaiting").asText()).startsWith("Lock.acquire on Lock[locked by report");
                assertThat(transfer.get("location").asText()).contains("MonitorPageTest.move(MonitorPageTest.java:");
                long dayId = task(last, "day").get("id").asLong();
                assertThat(transfer.get("awaitedBy").get(0).asLong()).as("the group's parent awaits it").isEqualTo(dayId);
                assertThat(task(last, "notifier").get("awaiting").asText()).isEqualTo("Event.await on Event[unset, waiters=1]");
                assertThat(last.get("deadlocks").get(0).asText()).contains("deadlock: ").contains("transfer").contains("report");

                for (String name : new String[] {"transfer", "notifier", "sleeper"}) {
                    double before = task(samples.get(0), name).get("waitingSeconds").asDouble();
                    double after = task(last, name).get("waitingSeconds").asDouble();
                    assertThat(after).as("%s keeps waiting on the same thing", name).isGreaterThanOrEqualTo(before + 1.2);
                    assertThat(task(last, name).get("waitingAtLeast").asBoolean()).as("waiting before the first sample").isTrue();
                }
                assertThat(task(last, "sleeper").get("awaiting").asText()).startsWith("sleep until ");

                try (ClientResponse page = client.get(base)) { // the prefix redirects to the page
                    assertThat(page.status()).isEqualTo(200);
                    assertThat(page.redirects()).hasSize(1);
                    assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
                    String html = page.text();
                    assertThat(html).contains("fetch(\"snapshot.json\"").contains("createElementNS").doesNotContain("<script src")
                            .doesNotContain("<link").doesNotContain("https://");
                }
            } finally {
                client.close();
                server.shutdown(Duration.ofSeconds(5));
                stop(day);
            }
            return null;
        });
    }

    @Test
    void aFailingSourceGivesAnErrorAndKeepsTheHistory() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicBoolean broken = new AtomicBoolean();
            LoopSource real = LoopSource.of(loop);
            LoopSource flaky = () -> {
                if (broken.get()) {
                    throw new UncheckedIOException(new java.io.IOException("connection reset (the test broke it)"));
                }
                return real.loops();
            };
            MonitorSampler sampler = new MonitorSampler("flaky", flaky);
            MonitorSnapshot good = null;
            for (int i = 0; i < 200 && (good == null || good.loops().isEmpty()); i++) {
                good = Asyncio.toThread(sampler::sample);
                Asyncio.sleep(0.05);
            }
            assertThat(good.loops()).hasSize(1);
            broken.set(true);
            MonitorSnapshot bad = Asyncio.toThread(sampler::sample);
            assertThat(bad.loops()).isEmpty();
            assertThat(bad.error()).isEqualTo("java.io.IOException: connection reset (the test broke it)");
            assertThat(bad.source()).isEqualTo("flaky");
            broken.set(false);
            MonitorSnapshot again = Asyncio.toThread(sampler::sample);
            assertThat(again.error()).isEmpty();
            assertThat(again.loops().get(0).lag()).as("the history survived the failure")
                    .hasSize(good.loops().get(0).lag().size() + 1);
            return null;
        });
    }

    @Test
    void aLoopWhoseBeanIsGoneIsLeftOutNotAnError() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            LoopSource real = LoopSource.of(loop);
            EventLoopMXBean ghost = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                    new ObjectName("io.jasyncio:type=EventLoop,name=loop-999999999"), EventLoopMXBean.class); // closed meanwhile
            MonitorSampler sampler = new MonitorSampler("with a ghost", () -> {
                List<EventLoopMXBean> loops = new ArrayList<>(real.loops());
                loops.add(0, ghost);
                return loops;
            });
            MonitorSnapshot s = Asyncio.toThread(sampler::sample);
            for (int i = 0; i < 200 && s.loops().isEmpty(); i++) { // until the real loop's bean is registered
                Asyncio.sleep(0.05);
                s = Asyncio.toThread(sampler::sample);
            }
            assertThat(s.error()).isEmpty();
            assertThat(s.loops()).extracting(MonitorSnapshot.LoopEntry::id).containsExactly(loop.getId());
            return null;
        });
    }

    /** Blocks its loop in one step until released (a program that calls blocking code in a task). */
    private static void blockTheLoopUntil(java.util.concurrent.CountDownLatch release) throws InterruptedException {
        release.await();
    }

    @Test
    void aBlockedLoopIsShownWithTheStackWhereItIsBlocked() throws Exception {
        java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<EventLoop> other = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = Thread.ofPlatform().name("blocked-loop-test").start(() -> StrictLoop.run(StrictLoop.realTime(), () -> {
            other.set(Asyncio.getRunningLoop());
            MonitorSampler warmUp = new MonitorSampler("warm-up", LoopSource.of(Asyncio.getRunningLoop()));
            for (int i = 0; i < 200 && Asyncio.toThread(warmUp::sample).loops().isEmpty(); i++) {
                Asyncio.sleep(0.05); // until this loop's bean is registered
            }
            blocked.countDown();
            blockTheLoopUntil(release);
            return null;
        }));
        try {
            assertThat(blocked.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            MonitorSampler sampler = new MonitorSampler("blocked", LoopSource.of(other.get()));
            MonitorSnapshot s = sampler.sample(); // each reading of a blocked loop waits its second, then gives up
            assertThat(s.error()).isEmpty();
            MonitorSnapshot.LoopEntry loop = s.loops().get(0);
            assertThat(loop.state()).startsWith("running, not responding for ");
            assertThat(loop.blockedAt()).contains("MonitorPageTest.blockTheLoopUntil(MonitorPageTest.java:");
            assertThat(loop.tasks()).isEmpty();
        } finally {
            release.countDown();
            t.join(60_000);
        }
    }

    @Test
    void recentSharesASnapshotForHalfASecond() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            MonitorSampler sampler = new MonitorSampler("this loop", LoopSource.of(Asyncio.getRunningLoop()));
            MonitorSnapshot a = Asyncio.toThread(sampler::recent);
            MonitorSnapshot b = Asyncio.toThread(sampler::recent);
            assertThat(b).isSameAs(a); // unless this machine paused half a second between the two lines
            Asyncio.sleep(0.6);
            assertThat(Asyncio.toThread(sampler::recent)).isNotSameAs(a);
            return null;
        });
    }

    @Test
    void theKindOfAWaitLeavesOutWhatChangesWhileItLasts() {
        assertThat(MonitorSampler.kindOf("Lock.acquire on Lock[locked by report, waiters=1]")).isEqualTo("Lock.acquire");
        assertThat(MonitorSampler.kindOf("sleep until 12.500 (in 3.214 s)")).isEqualTo("sleep until 12.500");
        assertThat(MonitorSampler.kindOf("gather of [a (id 2), b (id 3)]")).isEqualTo("gather of ");
        assertThat(MonitorSampler.kindOf("report")).isEqualTo("report");
        assertThat(MonitorSampler.kindOf("")).isEmpty();
    }

    @Test
    void aBadPrefixIsRefusedAtOnce() {
        MonitorSampler sampler = new MonitorSampler("x", List::of);
        assertThatThrownBy(() -> MonitorPage.mount(new Router(), "monitor", sampler)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start with '/'");
        assertThatThrownBy(() -> MonitorPage.mount(new Router(), "/monitor/", sampler)).hasMessageContaining("not end with");
        assertThatThrownBy(() -> MonitorPage.mount(new Router(), "/m", null)).isInstanceOf(NullPointerException.class);
        MonitorPage.mount(new Router(), "", sampler); // the root is fine
    }
}
