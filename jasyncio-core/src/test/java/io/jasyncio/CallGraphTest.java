package io.jasyncio;

import static io.jasyncio.Asyncio.captureCallGraph;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.formatCallGraph;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import io.jasyncio.test.StrictLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CallGraphTest {

    private static void waitOn(Event e) {
        e.await(); // the line the graph must show for the worker
    }

    @Test
    void chainUpwardWithEachLevelsUserStack() {
        TestLoop.run(() -> {
            Event never = new Event();
            Task<Void> worker = createTask("worker", () -> {
                waitOn(never);
                return null;
            });
            Task<Void> boss = createTask("boss", () -> worker.await());
            yieldNow();
            yieldNow();
            CallGraph g = captureCallGraph(worker);
            assertThat(g.future()).isSameAs(worker);
            assertThat(g.awaiting()).isEqualTo("Event.await on Event[unset, waiters=1]");
            assertThat(g.callStack()).first().satisfies(e -> {
                assertThat(e.getMethodName()).isEqualTo("waitOn");
                assertThat(e.getFileName()).isEqualTo("CallGraphTest.java");
            });
            assertThat(g.callStack()).noneMatch(Task::isLibraryFrame);
            assertThat(g.awaitedBy()).hasSize(1);
            CallGraph up = g.awaitedBy().get(0);
            assertThat(up.future()).isSameAs(boss);
            assertThat(up.awaiting()).isEqualTo("task worker");
            String text = formatCallGraph(worker);
            assertThat(text).startsWith("* Task[name=worker").contains("|   at io.jasyncio.CallGraphTest.waitOn(CallGraphTest.java:")
                    .contains("+ awaited by:\n   * Task[name=boss").doesNotContain("at io.jasyncio.Task.");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Asyncio.printCallGraph(worker, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(text);
            never.set();
            boss.await();
            return null;
        });
    }

    @Test
    void taskGroupParentAwaitsEveryChild() {
        TestLoop.run(() -> {
            Task<?> main = Asyncio.currentTask();
            Event go = new Event();
            TaskGroup.run(tg -> {
                Task<Void> a = tg.createTask("child-a", () -> {
                    go.await();
                    return null;
                });
                Task<Void> b = tg.createTask("child-b", () -> {
                    sleep(5);
                    return null;
                });
                yieldNow();
                CallGraph ga = captureCallGraph(a);
                assertThat(ga.awaitedBy()).extracting(CallGraph::future).containsExactly(main);
                CallGraph gb = captureCallGraph(b);
                assertThat(gb.awaiting()).matches("sleep until 5\\.\\d{3} \\(in 5\\.000 s\\)");
                assertThat(gb.awaitedBy()).extracting(CallGraph::future).containsExactly(main);
                go.set();
            });
            return null;
        });
    }

    @Test
    void gatherAwaitsEachOfItsFutures() {
        TestLoop.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = createTask("getter", q::get);
            Task<List<String>> gatherer = createTask("gatherer", () -> gather(List.of(getter)));
            yieldNow();
            yieldNow();
            CallGraph g = captureCallGraph(getter);
            assertThat(g.awaiting()).startsWith("Queue.get on Queue[");
            assertThat(g.awaitedBy()).extracting(CallGraph::future).containsExactly(gatherer);
            assertThat(g.awaitedBy().get(0).awaiting()).isEqualTo("gather of [getter]");
            q.putNowait("x");
            assertThat(gatherer.await()).containsExactly("x");
            return null;
        });
    }

    @Test
    void describesLocksSemaphoresAndConditions() {
        TestLoop.run(() -> {
            Lock lock = new Lock();
            Semaphore sem = new Semaphore(0);
            Condition cond = new Condition();
            Task<Void> holder = createTask("holder", () -> {
                try (Held h = lock.acquire()) {
                    sem.acquire();
                }
                return null;
            });
            Task<Void> blocked = createTask("blocked", () -> {
                try (Held h = lock.acquire()) {
                    return null;
                }
            });
            Task<Void> waiter = createTask("waiter", () -> {
                try (Held h = cond.acquire()) {
                    cond.await();
                }
                return null;
            });
            yieldNow();
            yieldNow();
            assertThat(blocked.toString()).contains("awaiting=Lock.acquire on Lock[locked by holder, waiters=1]")
                    .contains(" at CallGraphTest.java:");
            assertThat(holder.toString()).contains("awaiting=Semaphore.acquire on Semaphore[value=0, waiters=1]");
            assertThat(waiter.toString()).contains("awaiting=Condition.await on Condition[");
            sem.release();
            try (Held h = cond.acquire()) {
                cond.notifyOne();
            }
            blocked.await();
            waiter.await();
            return null;
        });
    }

    @Test
    void describesThreadPoolJobsAndCompletionStages() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> outside = new CompletableFuture<>();
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Task<Boolean> job = createTask("blocking", () -> toThread(() -> {
                started.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }));
            Task<String> stage = createTask("stage", () -> Asyncio.await(outside));
            while (!started.await(0, TimeUnit.SECONDS)) {
                sleep(0.001);
            }
            assertThat(job.toString()).contains("awaiting=thread-pool job on ExecutorJob[running on jasyncio-worker-");
            assertThat(stage.toString()).contains("awaiting=CompletionStage.await on java.util.concurrent.CompletableFuture");
            release.countDown();
            outside.complete("done");
            assertThat(job.await()).isTrue();
            assertThat(stage.await()).isEqualTo("done");
            return null;
        });
    }

    @Test
    void describesAReadOnANamedSocket() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Event replied = new Event();
            try (Server server = Net.startServer((r, w) -> {
                replied.await();
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair pair = Net.openConnection("127.0.0.1", server.port());
                Task<byte[]> reader = createTask("reader", () -> pair.reader().read(10));
                while (CallGraph.describeAwait(reader) == null) {
                    yieldNow();
                }
                assertThat(reader.toString()).contains("awaiting=StreamReader.read on SocketTransport[open, /127.0.0.1:" + server.port());
                replied.set();
                assertThat(reader.await()).isEmpty();
                pair.writer().close();
            }
            return null;
        });
    }

    @Test
    void aCycleIsCutAndMarked() {
        TestLoop.run(() -> {
            Task<?>[] other = new Task<?>[1];
            Event start = new Event();
            Task<Object> a = createTask("a", () -> {
                start.await();
                return other[0].await();
            });
            Task<Object> b = createTask("b", () -> {
                start.await();
                return Asyncio.shield(a).await(); // awaits a through the shield: still an edge b -> a
            });
            other[0] = b;
            start.set();
            yieldNow();
            yieldNow();
            CallGraph g = captureCallGraph(a);
            assertThat(g.awaitedBy()).hasSize(1);
            CallGraph viaB = g.awaitedBy().get(0);
            assertThat(viaB.future()).isSameAs(b);
            assertThat(viaB.awaiting()).isEqualTo("shield of task a");
            assertThat(viaB.awaitedBy()).singleElement().satisfies(x -> {
                assertThat(x.future()).isSameAs(a);
                assertThat(x.repeated()).isTrue();
            });
            assertThat(g.format()).contains("already shown above");
            b.cancel(); // breaks the cycle: b leaves the shield, then a sees b cancelled
            Asyncio.gatherSettled(List.of(a, b));
            return null;
        });
    }

    @Test
    void captureFromAnotherThreadIsRefused() {
        TestLoop.run(() -> {
            Task<?> me = Asyncio.currentTask();
            Throwable[] seen = new Throwable[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    CallGraph.capture(me);
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            toThread(() -> {
                t.join();
                return null;
            });
            assertThat(seen[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("own loop thread");
            return null;
        });
    }

    @Test
    void captureOutsideATaskFails() {
        assertThatThrownBy(CallGraph::capture).isInstanceOf(IllegalStateException.class);
    }
}
