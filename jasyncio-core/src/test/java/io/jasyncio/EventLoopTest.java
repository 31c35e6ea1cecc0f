package io.jasyncio;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EventLoopTest {

    private static EventLoop newLoop() {
        EventLoop loop = new EventLoop(TestLoop.options());
        loop.setExceptionHandler((l, ctx) -> { throw new AssertionError("unexpected: " + ctx, ctx.exception()); });
        return loop;
    }

    @Test
    void readyCallbacksRunInFifoOrder() {
        try (EventLoop loop = newLoop()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callSoon(() -> order.add(n));
            }
            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(order).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void callbackScheduledDuringATurnRunsOnTheNextTurn() {
        try (EventLoop loop = newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callSoon(() -> {
                order.add("a");
                loop.callSoon(() -> order.add("c"));
            });
            loop.callSoon(() -> {
                order.add("b");
                loop.stop(); // stop after this turn: "c" belongs to the next one
            });
            loop.runForever();
            assertThat(order).containsExactly("a", "b");
            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(order).containsExactly("a", "b", "c");
        }
    }

    @Test
    void timersRunByDeadlineThenFifo() {
        try (EventLoop loop = newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callLater(Duration.ofMillis(30), () -> order.add("30a"));
            loop.callLater(Duration.ofMillis(10), () -> order.add("10"));
            loop.callLater(Duration.ofMillis(30), () -> order.add("30b"));
            loop.callLater(0.02, () -> order.add("20"));
            loop.callLater(Duration.ofMillis(40), loop::stop);
            loop.runForever();
            assertThat(order).containsExactly("10", "20", "30a", "30b");
            assertThat(loop.time()).isGreaterThanOrEqualTo(0.04);
        }
    }

    @Test
    void callAtInThePastAndNegativeDelayRunOnTheNextTurn() {
        try (EventLoop loop = newLoop()) {
            List<String> order = new ArrayList<>();
            loop.callLater(Duration.ofSeconds(-5), () -> order.add("negative"));
            loop.callAt(loop.time() - 100, () -> order.add("past"));
            loop.callSoon(() -> order.add("soon"));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(order).containsExactly("soon", "past", "negative"); // by deadline
        }
    }

    @Test
    void cancelledHandlesDoNotRun() {
        try (EventLoop loop = newLoop()) {
            List<String> order = new ArrayList<>();
            Handle h = loop.callSoon(() -> order.add("cancelled"));
            TimerHandle t = loop.callLater(0.01, () -> order.add("timer"));
            loop.callSoon(() -> order.add("kept"));
            h.cancel();
            t.cancel();
            assertThat(h.cancelled()).isTrue();
            loop.callLater(0.02, loop::stop);
            loop.runForever();
            assertThat(order).containsExactly("kept");
        }
    }

    @Test
    void cancelledTimersAreCompactedAway() {
        try (EventLoop loop = newLoop()) {
            List<TimerHandle> handles = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                handles.add(loop.callLater(Duration.ofHours(1), () -> { }));
            }
            handles.forEach(TimerHandle::cancel);
            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(loop.toString()).contains("timers=0");
            assertThat(loop.pendingTimerEntries()).isLessThan(200);
        }
    }

    @Test
    void threadsafeCallbacksFromManyThreadsAreAllRun() throws Exception {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withHandleSigint(false));
        int threads = 4, each = 5_000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            producers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    loop.callSoonThreadsafe(ran::incrementAndGet);
                }
            }));
        }
        Thread stopper = Thread.ofPlatform().start(() -> {
            for (Thread p : producers) {
                try {
                    p.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
            loop.callSoonThreadsafe(loop::stop);
        });
        loop.callSoon(go::countDown);
        loop.runForever();
        stopper.join();
        loop.close();
        assertThat(ran.get()).isEqualTo(threads * each);
    }

    @Test
    void threadsafeCallbackWakesAWaitingLoop() throws Exception {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withHandleSigint(false))) {
            CountDownLatch started = new CountDownLatch(1);
            loop.callSoon(started::countDown);
            Thread waker = Thread.ofPlatform().start(() -> {
                try {
                    started.await();
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                loop.callSoonThreadsafe(loop::stop);
            });
            loop.runForever(); // nothing scheduled: would wait forever without the wake-up
            waker.join();
        }
    }

    @Test
    void exceptionsInCallbacksReachTheHandlerAndTheLoopGoesOn() {
        try (EventLoop loop = new EventLoop(TestLoop.options())) {
            List<ExceptionContext> seen = new ArrayList<>();
            loop.setExceptionHandler((l, ctx) -> seen.add(ctx));
            IllegalStateException boom = new IllegalStateException("boom");
            Handle h = loop.callSoon(() -> { throw boom; });
            List<String> after = new ArrayList<>();
            loop.callSoon(() -> after.add("still running"));
            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).exception()).isSameAs(boom);
            assertThat(seen.get(0).handle()).isSameAs(h);
            assertThat(after).containsExactly("still running");
        }
    }

    @Test
    void aThrowingExceptionHandlerFallsBackToTheDefault() {
        try (EventLoop loop = new EventLoop(TestLoop.options())) {
            AtomicInteger calls = new AtomicInteger();
            loop.setExceptionHandler((l, ctx) -> {
                calls.incrementAndGet();
                throw new IllegalStateException("handler broken");
            });
            loop.callSoon(() -> { throw new IllegalArgumentException("x"); });
            loop.callSoon(loop::stop);
            loop.runForever();
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void runUntilCompleteReturnsTheResultAndStops() {
        try (EventLoop loop = newLoop()) {
            assertThat(loop.runUntilComplete(() -> {
                sleep(1.5);
                return 42;
            })).isEqualTo(42);
            assertThat(loop.isRunning()).isFalse();
            assertThat(loop.time()).isGreaterThanOrEqualTo(1.5);
        }
    }

    @Test
    void runUntilCompleteFailsIfTheLoopIsStoppedFirst() {
        try (EventLoop loop = newLoop()) {
            Future<Integer> never = loop.createFuture();
            loop.callSoon(loop::stop);
            assertThatThrownBy(() -> loop.runUntilComplete(never))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped before");
        }
    }

    @Test
    void stopBeforeRunRunsOneTurn() {
        try (EventLoop loop = newLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("x"));
            loop.stop();
            loop.runForever();
            assertThat(ran).containsExactly("x");
        }
    }

    /**
     * stop() ends the run after the callbacks of the current turn (asyncio); a task that yields after
     * calling it takes its next step in the next run, even when nothing else is ready (the yield
     * that may skip a turn must not skip the stop).
     */
    @Test
    void aTaskThatYieldsAfterStopResumesOnlyInTheNextRun() {
        try (EventLoop loop = newLoop()) {
            List<String> steps = new ArrayList<>();
            loop.createTask(() -> {
                steps.add("before");
                loop.stop();
                Asyncio.yieldNow();
                steps.add("after");
                return null;
            });
            loop.runForever();
            assertThat(steps).containsExactly("before");
            loop.stop();
            loop.runForever();
            assertThat(steps).containsExactly("before", "after");
        }
    }

    /**
     * A task that keeps yielding while nothing else is ready continues without loop turns; it must
     * still let a timer that falls due and a callback from another thread run.
     */
    @Test
    void aTaskThatKeepsYieldingStillLetsDueTimersAndThreadsafeCallbacksRun() throws Exception {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withHandleSigint(false))) {
            boolean[] timerRan = {false}, callbackRan = {false};
            long yields = loop.runUntilComplete(() -> {
                long n = 0;
                loop.callLater(0.01, () -> timerRan[0] = true);
                while (!timerRan[0]) {
                    Asyncio.yieldNow();
                    n++;
                }
                Thread other = Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> callbackRan[0] = true));
                while (!callbackRan[0]) {
                    Asyncio.yieldNow();
                    n++;
                }
                other.join();
                return n;
            });
            assertThat(yields).as("the task kept yielding meanwhile").isPositive();
        }
    }

    /**
     * A task that keeps yielding with nothing else ready takes no loop turns, so it must still drop
     * the timers it cancels, as a turn would: a timeout around work that never suspends arms and
     * cancels one each time.
     */
    @Test
    void cancelledTimersDoNotPileUpWhileATaskKeepsYielding() {
        try (EventLoop loop = newLoop()) {
            int entries = loop.runUntilComplete(() -> {
                for (int i = 0; i < 10_000; i++) {
                    loop.callLater(Duration.ofHours(1), () -> { }).cancel();
                    Asyncio.yieldNow();
                }
                return loop.pendingTimerEntries(); // no turn has run since the loop started this task
            });
            assertThat(entries).isLessThan(200);
        }
    }

    @Test
    void closedLoopRefusesWorkAndCloseIsIdempotent() {
        EventLoop loop = newLoop();
        loop.close();
        loop.close();
        assertThat(loop.isClosed()).isTrue();
        assertThatThrownBy(() -> loop.callSoon(() -> { })).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(loop::runForever).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> loop.callSoonThreadsafe(() -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingARunningLoopOrRunningItTwiceIsRefused() {
        try (EventLoop loop = newLoop()) {
            List<Throwable> errors = new ArrayList<>();
            loop.callSoon(() -> {
                try {
                    loop.close();
                } catch (IllegalStateException e) {
                    errors.add(e);
                }
                try {
                    loop.runForever();
                } catch (IllegalStateException e) {
                    errors.add(e);
                }
                loop.stop();
            });
            loop.runForever();
            assertThat(errors).hasSize(2);
            assertThat(errors.get(0)).hasMessageContaining("running");
            assertThat(errors.get(1)).hasMessageContaining("already running");
        }
    }

    @Test
    void pendingTaskAtCloseIsReported() {
        EventLoop loop = new EventLoop(TestLoop.options());
        List<ExceptionContext> seen = new ArrayList<>();
        loop.setExceptionHandler((l, ctx) -> seen.add(ctx));
        Task<Object> t = loop.createTask(() -> {
            sleep(3600);
            return null;
        });
        loop.callSoon(loop::stop);
        loop.runForever();
        loop.close();
        assertThat(seen).singleElement().satisfies(ctx -> {
            assertThat(ctx.message()).contains("pending");
            assertThat(ctx.future()).isSameAs(t);
        });
    }

    @Test
    void virtualTimeJumpsToTheNextTimer() {
        try (EventLoop loop = newLoop()) {
            long realStart = System.nanoTime();
            loop.runUntilComplete(() -> {
                sleep(Duration.ofHours(2));
                return null;
            });
            assertThat(loop.time()).isGreaterThanOrEqualTo(7200.0);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - realStart)).isLessThan(30);
        }
    }

    @Test
    void debugModeRefusesCallsFromForeignThreads() throws Exception {
        try (EventLoop loop = new EventLoop(TestLoop.options().withDebug(true))) {
            List<Throwable> refused = new CopyOnWriteArrayList<>();
            loop.runUntilComplete(() -> {
                Asyncio.toThread(() -> {
                    try {
                        loop.callSoon(() -> { });
                    } catch (IllegalStateException e) {
                        refused.add(e);
                    }
                    return null;
                });
                return null;
            });
            assertThat(refused).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("callSoonThreadsafe"));
        }
    }

    @Test
    void debugModeReportsASlowStepWithTheLineThatBlocked() throws Exception {
        Logger jul = Logger.getLogger("io.jasyncio");
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        jul.addHandler(capture);
        try {
            LoopOptions opts = LoopOptions.defaults().withHandleSigint(false).withDebug(true)
                    .withSlowCallbackDuration(Duration.ofMillis(50));
            Asyncio.run(() -> {
                Asyncio.createTask("blocker", () -> {
                    blockTheLoop();
                    return null;
                }).await();
                return null;
            }, opts);
        } finally {
            jul.removeHandler(capture);
        }
        assertThat(warnings).anySatisfy(w -> assertThat(w)
                .contains("task blocker took")
                .contains("the loop was blocked at")
                .contains("blockTheLoop"));
    }

    private static void blockTheLoop() throws InterruptedException {
        Thread.sleep(400); // the mistake debug mode must point at
    }

    @Test
    void engineIsReported() {
        try (EventLoop loop = newLoop()) {
            assertThat(loop.engine()).isEqualTo(TestLoop.engine());
        }
    }

    @Test
    void nullArgumentsAreRefusedWithTheirName() {
        try (EventLoop loop = newLoop()) {
            assertThatThrownBy(() -> loop.callSoon(null)).isInstanceOf(NullPointerException.class).hasMessage("callback");
            assertThatThrownBy(() -> loop.callLater((Duration) null, () -> { })).hasMessage("delay");
            assertThatThrownBy(() -> loop.createTask(null)).hasMessage("coroutine");
            assertThatThrownBy(() -> loop.callAt(Double.NaN, () -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ---------------------------------------------------------------- robustness (issue: reliability under faults)

    @Test
    void aBrokenLoggerBehindTheDefaultHandlerDoesNotKillTheLoop() {
        Logger jul = Logger.getLogger("io.jasyncio");
        Handler broken = new Handler() {
            @Override
            public void publish(LogRecord r) {
                throw new IllegalStateException("logger backend down");
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        boolean parents = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false);
        jul.addHandler(broken);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        List<String> after = new ArrayList<>();
        try (EventLoop loop = new EventLoop(TestLoop.options())) {
            loop.setExceptionHandler((l, ctx) -> { throw new IllegalArgumentException("handler broken too"); });
            loop.callSoon(() -> { throw new IllegalStateException("original failure"); });
            loop.callSoon(() -> after.add("still running"));
            loop.callSoon(loop::stop);
            loop.runForever();
        } finally {
            System.setErr(err);
            jul.removeHandler(broken);
            jul.setUseParentHandlers(parents);
        }
        assertThat(after).containsExactly("still running");
        assertThat(captured.toString()).contains("original failure").contains("handler broken too");
    }

    @Test
    void aCancelledTimerDropsItsCallbackAtOnce() {
        try (EventLoop loop = newLoop()) {
            Object captured = new Object();
            TimerHandle h = loop.callLater(3600, () -> captured.hashCode());
            assertThat(h.callback()).isNotNull();
            h.cancel();
            assertThat(h.callback()).as("nothing the callback captured is kept alive").isNull();
            assertThat(h.toString()).contains("cancelled");
        }
    }

    @Test
    void aFloodOfThreadsafeCallbacksDoesNotStarveTimers() throws Exception {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withHandleSigint(false))) {
            AtomicInteger ticks = new AtomicInteger(), ticksDuringFlood = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            AtomicInteger flooding = new AtomicInteger(2);
            List<Thread> flooders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                flooders.add(Thread.ofPlatform().daemon().start(() -> {
                    // Until the ticks were seen: before the fix the loop never left the inbox while
                    // this ran (the test hangs; the class timeout ends it). A cap on the posts made the
                    // test flaky on a busy machine: the flood could end before three ticks.
                    while (!stop.get()) {
                        loop.callSoonThreadsafe(() -> { });
                    }
                    flooding.decrementAndGet();
                }));
            }
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                if (flooding.get() > 0) {
                    ticksDuringFlood.incrementAndGet();
                }
                if (ticks.incrementAndGet() >= 5 && (ticksDuringFlood.get() >= 3 || flooding.get() == 0)) {
                    stop.set(true);
                    loop.stop();
                } else {
                    loop.callLater(0.001, tick[0]);
                }
            };
            loop.callLater(0.001, tick[0]);
            loop.runForever();
            stop.set(true);
            for (Thread t : flooders) {
                t.join();
            }
            assertThat(ticksDuringFlood.get()).as("timers ran while other threads flooded the inbox").isGreaterThanOrEqualTo(3);
        }
    }

    /**
     * current() first asks the loop that started last (a fast path); a thread must still be told
     * only the loop it runs now: not a loop it ran before, nor the last-started loop of another thread.
     */
    @Test
    void eachThreadIsToldOnlyTheLoopItRunsNow() throws Exception {
        try (EventLoop first = new EventLoop(TestLoop.options()); EventLoop second = new EventLoop(TestLoop.options())) {
            assertThat(first.runUntilComplete(() -> EventLoop.current())).isSameAs(first);
            assertThat(EventLoop.current()).as("on this thread once its loop stopped").isNull();
            CountDownLatch secondRuns = new CountDownLatch(1), firstRanAgain = new CountDownLatch(1);
            List<Object> seenBySecond = new CopyOnWriteArrayList<>();
            Thread other = new Thread(() -> second.runUntilComplete(() -> {
                seenBySecond.add(EventLoop.current());
                secondRuns.countDown();
                while (firstRanAgain.getCount() > 0) {
                    sleep(0.005);
                }
                seenBySecond.add(EventLoop.current()); // the loop started last is now `first`, on another thread
                return null;
            }), "second-loop");
            other.start();
            assertThat(secondRuns.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(EventLoop.current()).as("on this thread while another thread runs the loop started last").isNull();
            assertThat(first.runUntilComplete(() -> EventLoop.current())).isSameAs(first);
            firstRanAgain.countDown();
            other.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(seenBySecond).containsExactly(second, second);
        }
    }
}
