package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import io.jasyncio.test.StrictLoop;
import io.jasyncio.testsupport.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Debug mode's detectors, each with a program that really swallows, hangs or leaks; and silence outside debug mode. */
@Timeout(60)
class DebugDetectorsTest {
    private static final LoopOptions DEBUG = TestLoop.options().withDebug(true);

    private static Boolean swallow() {
        try {
            sleep(10); // the CancelledError is raised here, and caught just below
            return false;
        } catch (CancelledError e) {
            return true;
        }
    }

    @Test
    void aSwallowedCancellationIsReportedWithTheLineThatCaughtIt() {
        try (LogCapture log = new LogCapture()) {
            TestLoop.run(DEBUG, () -> {
                Task<Boolean> t = createTask("swallower", DebugDetectorsTest::swallow);
                yieldNow();
                t.cancel();
                assertThat(t.await()).isTrue();
                return null;
            });
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("Task swallower was cancelled (1 request(s)) but returned normally without uncancel()")
                    .contains("raised at io.jasyncio.DebugDetectorsTest.swallow(DebugDetectorsTest.java:"));
        }
    }

    @Test
    void aSwallowedCancellationOfAnAwaitIsReportedToo() {
        try (LogCapture log = new LogCapture()) {
            TestLoop.run(DEBUG, () -> {
                Future<Void> never = getRunningLoop().createFuture();
                Task<String> t = createTask("awaiter", () -> {
                    try {
                        never.await();
                        return "woken";
                    } catch (CancelledError e) {
                        return "swallowed";
                    }
                });
                yieldNow();
                t.cancel();
                assertThat(t.await()).isEqualTo("swallowed");
                return null;
            });
            assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith("Task awaiter was cancelled")
                    .contains("DebugDetectorsTest.java:"));
        }
    }

    @Test
    void uncancelOrRethrowIsNoSwallow() {
        try (LogCapture log = new LogCapture()) {
            TestLoop.run(DEBUG, () -> {
                Task<Boolean> polite = createTask("polite", () -> {
                    try {
                        sleep(10);
                        return false;
                    } catch (CancelledError e) {
                        Asyncio.currentTask().uncancel();
                        return true;
                    }
                });
                Task<Void> rethrows = createTask("rethrows", () -> {
                    sleep(10);
                    return null;
                });
                yieldNow();
                polite.cancel();
                rethrows.cancel();
                assertThat(polite.await()).isTrue();
                Asyncio.gatherSettled(List.of(rethrows));
                Asyncio.timeout(Duration.ofSeconds(1), () -> { // a timeout's own cancellation is taken back by the timeout
                    sleep(0.5);
                    return null;
                });
                return null;
            });
            assertThat(log.messages()).noneMatch(m -> m.contains("returned normally without uncancel()"));
        }
    }

    @Test
    void outsideDebugModeNothingIsReported() {
        try (LogCapture log = new LogCapture()) {
            TestLoop.run(() -> {
                Task<Boolean> t = createTask("swallower", DebugDetectorsTest::swallow);
                yieldNow();
                t.cancel();
                t.await();
                return null;
            });
            assertThat(log.messages()).noneMatch(m -> m.contains("without uncancel()"));
        }
    }

    @Test
    void anIdleLoopWithStuckTasksLogsTheWaitForGraph() {
        try (LogCapture log = new LogCapture()) {
            StrictLoop.run(StrictLoop.realTime().withDebug(true), () -> {
                EventLoop loop = getRunningLoop();
                loop.setIdleReportDuration(Duration.ofMillis(100));
                Event forgotten = new Event();
                Lock a = new Lock();
                Lock b = new Lock();
                Task<Boolean> waiter = createTask("waiter", forgotten::await);
                Task<Void> left = createTask("left", () -> {
                    try (Held h = a.acquire()) {
                        sleep(0.001);
                        b.acquire().close();
                    }
                    return null;
                });
                Task<Void> right = createTask("right", () -> {
                    try (Held h = b.acquire()) {
                        sleep(0.001);
                        a.acquire().close();
                    }
                    return null;
                });
                // Only another thread can wake this loop now: it does so once the report is out.
                Future<Void> reported = loop.createFuture();
                Thread watcher = Thread.ofPlatform().start(() -> {
                    long until = System.nanoTime() + 30_000_000_000L;
                    while (log.messages().stream().noneMatch(m -> m.startsWith("the event loop has been idle"))
                            && System.nanoTime() < until) {
                        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                    }
                    loop.callSoonThreadsafe(() -> reported.setResult(null));
                });
                reported.await();
                watcher.join();
                for (Task<?> t : List.of(waiter, left, right)) {
                    t.cancel();
                }
                Asyncio.gatherSettled(List.of(waiter, left, right));
                return null;
            });
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("the event loop has been idle for 0.1 s with 4 pending task(s) and nothing that can wake them")
                    .contains("name=waiter, state=PENDING, awaiting=Event.await on Event[unset, waiters=1]")
                    .contains("deadlock: ").contains("waits for a Lock held by"));
            assertThat(log.messages().stream().filter(m -> m.startsWith("the event loop has been idle"))).hasSize(1);
        }
    }

    @Test
    void aSleepingOrIoWaitingLoopIsNotIdle() {
        try (LogCapture log = new LogCapture()) {
            TestLoop.run(DEBUG, () -> {
                getRunningLoop().setIdleReportDuration(Duration.ofMillis(1));
                sleep(5); // a timer will wake it: not stuck
                return null;
            });
            assertThat(log.messages()).noneMatch(m -> m.startsWith("the event loop has been idle"));
        }
    }

    @Test
    void aTransportNeverClosedIsReportedWithItsCreationSite() {
        List<ExceptionContext> reports = StrictLoop.runCollecting(StrictLoop.realTime().withDebug(true), () -> {
            try (Server server = Net.startServer((r, w) -> r.read(-1), "127.0.0.1", 0)) {
                StreamPair forgotten = Net.openConnection("127.0.0.1", server.port()); // never closed
                StreamPair closed = Net.openConnection("127.0.0.1", server.port());
                closed.writer().close();
                closed.writer().waitClosed();
                assertThat(forgotten.reader()).isNotNull();
            }
            return null;
        });
        assertThat(reports).extracting(ExceptionContext::message).anySatisfy(m -> assertThat(m)
                .startsWith("SocketTransport to /127.0.0.1:")
                .contains("was never closed (still open when its event loop closed); created at io.jasyncio.DebugDetectorsTest.")
                .contains("DebugDetectorsTest.java:"));
        assertThat(reports).extracting(ExceptionContext::message).filteredOn(m -> m.contains("never closed")
                && m.startsWith("SocketTransport to /127.0.0.1:")).hasSizeLessThanOrEqualTo(2); // ours, and the server side of it
    }

    @Test
    void aServerNeverClosedIsReported() {
        List<ExceptionContext> reports = StrictLoop.runCollecting(StrictLoop.realTime().withDebug(true), () -> {
            Net.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            return null;
        });
        assertThat(reports).extracting(ExceptionContext::message).anySatisfy(m -> assertThat(m)
                .startsWith("Server was never closed (still open when its event loop closed); created at io.jasyncio.DebugDetectorsTest."));
    }

    @Test
    void closedResourcesAreNotReported() {
        List<ExceptionContext> reports = StrictLoop.runCollecting(StrictLoop.realTime().withDebug(true), () -> {
            try (Server server = Net.startServer((r, w) -> w.close(), "127.0.0.1", 0)) {
                StreamPair p = Net.openConnection("127.0.0.1", server.port());
                p.reader().read(-1);
                p.writer().close();
                p.writer().waitClosed();
            }
            yieldNow();
            return null;
        });
        assertThat(reports).extracting(ExceptionContext::message).noneMatch(m -> m.contains("never closed"));
    }

    /** Blocks (bounded) until every slow-step sampler thread has gone into its timed pause. */
    private static void awaitSamplerParked() throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            boolean parked = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("jasyncio-slow-step-watchdog"))
                    .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING);
            if (parked) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the slow-step sampler never paused");
    }

    private static void napOnTheLoop() throws InterruptedException {
        Thread.sleep(300); // blocks the loop, though not for long enough to be a slow step here
    }

    @Test
    void samplingModeReportsShortBlockingCallsOncePerSite() {
        LoopOptions sampling = StrictLoop.realTime().withDebug(true).withSlowCallbackDuration(Duration.ofSeconds(30));
        try (LogCapture log = new LogCapture()) {
            StrictLoop.run(sampling, () -> {
                // The sampler is in its 15 s pause (half the slow-step threshold): the new interval must wake it.
                awaitSamplerParked();
                getRunningLoop().setBlockingSampleInterval(Duration.ofMillis(5));
                Task<Void> sleeper = createTask("sleeper", () -> {
                    napOnTheLoop();
                    yieldNow();
                    napOnTheLoop();
                    return null;
                });
                sleeper.await();
                java.util.concurrent.CompletableFuture<String> slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
                    return "late";
                });
                assertThat(createTask("getter", () -> slow.get()).await()).isEqualTo("late");
                return null;
            });
            List<String> blocking = log.messages().stream().filter(m -> m.startsWith("blocking call inside")).toList();
            assertThat(blocking).filteredOn(m -> m.startsWith("blocking call inside task sleeper: Thread.sleep at"
                    + " io.jasyncio.DebugDetectorsTest.napOnTheLoop(DebugDetectorsTest.java:")).hasSize(1);
            assertThat(blocking).anySatisfy(m -> assertThat(m).startsWith("blocking call inside task getter: CompletableFuture.get at")
                    .contains("DebugDetectorsTest.java:").contains("Asyncio.toThread"));
        }
    }

    @Test
    void samplingModeIgnoresComputationAndAsyncWaits() {
        LoopOptions sampling = StrictLoop.realTime().withDebug(true).withSlowCallbackDuration(Duration.ofSeconds(30));
        try (LogCapture log = new LogCapture()) {
            StrictLoop.run(sampling, () -> {
                getRunningLoop().setBlockingSampleInterval(Duration.ofMillis(2));
                long until = System.nanoTime() + 200_000_000L;
                long x = 1;
                while (System.nanoTime() < until) {
                    x = x * 6364136223846793005L + 1; // computing, not blocking
                }
                assertThat(x).isNotZero();
                sleep(0.2);
                Asyncio.toThread(() -> {
                    Thread.sleep(100); // blocking, but on a worker thread: fine
                    return null;
                });
                return null;
            });
            assertThat(log.messages()).noneMatch(m -> m.startsWith("blocking call inside"));
        }
    }
}
