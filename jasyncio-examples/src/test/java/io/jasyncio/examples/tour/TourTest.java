package io.jasyncio.examples.tour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.LoopOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each chapter's demonstrated effect, asserted on the virtual clock (exact and instant). */
@Timeout(60)
class TourTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Out out = new Out(new PrintStream(printed, true, StandardCharsets.UTF_8), false);
    private final LoopOptions virtual = LoopOptions.defaults().withVirtualTime(true).withHandleSigint(false);

    private String text() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void coroutinesInterleaveAtSuspensionPoints() {
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) Tour.runChapter(1, out, true, virtual);
        assertThat(events).containsExactly("A1", "B1", "A2", "B2", "A3", "B3");
        assertThat(text()).contains("Chapter 1. Coroutines").contains("suspension point").contains("Takeaway:")
                .contains("private static Void count("); // --explain shows the chapter's code
    }

    @Test
    void awaitInSequenceAddsWaitsAndConcurrentTasksOverlapThem() {
        double[] t = (double[]) Tour.runChapter(2, out, false, virtual);
        assertThat(t[0]).isBetween(1.0, 1.01);
        assertThat(t[1]).isBetween(0.5, 0.51);
    }

    @Test
    void tenRequestsOverlapToTheTimeOfOne() {
        double[] t = (double[]) Tour.runChapter(3, out, false, virtual);
        assertThat(t[0]).isBetween(2.0, 2.01);
        assertThat(t[1]).isBetween(0.2, 0.21);
        assertThat(text()).contains("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    }

    @Test
    void aHungProgramIsFoundWithTheTaskTreeAndTheDeadlockDetectorThenFixed() {
        FindingAHang.Result r = (FindingAHang.Result) Tour.runChapter(14, out, false, virtual);
        assertThat(r.tree()).contains("name=notifier, state=PENDING, awaiting=Event.await on Event[unset, waiters=1] at HungProgram.java:")
                .contains("name=transfer, state=PENDING, awaiting=Lock.acquire on Lock[locked by report, waiters=1] at HungProgram.java:30")
                .contains("name=report, state=PENDING, awaiting=Lock.acquire on Lock[locked by transfer, waiters=1] at HungProgram.java:30");
        assertThat(r.deadlocks()).startsWith("deadlock: ").contains("waits for a Lock held by transfer at HungProgram.java:30")
                .contains("waits for a Lock held by report at HungProgram.java:30");
        assertThat(r.fixedFinished()).isTrue();
        assertThat(text()).contains("Chapter 14. Finding a hang").contains("└ awaits Task[name=transfer").contains("finished: true");
    }

    @Test
    void unknownChapterIsOneClearError() {
        assertThatThrownBy(() -> Tour.runChapter(99, out, false, virtual))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no chapter 99");
    }

    @Test
    void noColorsWhenNotATerminal() {
        Tour.runChapter(3, out, false, virtual);
        assertThat(text()).doesNotContain("\u001b[");
    }

    private final LoopOptions real = LoopOptions.defaults().withHandleSigint(false);

    @Test
    void theModelChapterShowsATaskWokenByAFuture() {
        assertThat(Tour.runChapter(4, out, false, virtual)).isEqualTo("the task got: a value that arrived later");
        assertThat(text()).contains("Asyncio.run(() -> main())");
    }

    @Test
    void inlineCallsAddUpScheduledTasksOverlap() {
        double[] t = (double[]) Tour.runChapter(5, out, false, virtual);
        assertThat(t[0]).isBetween(0.6, 0.61);
        assertThat(t[1]).isBetween(0.3, 0.31);
    }

    @Test
    void theLoopRunsCallbacksInOrderAndDebugModeNamesTheBlockingLine() {
        Object[] r = (Object[]) Tour.runChapter(6, out, false, virtual);
        @SuppressWarnings("unchecked")
        java.util.List<Object> order = (java.util.List<Object>) r[0];
        assertThat(order).containsExactly("callSoon A", "callSoon B", "task step 1",
                "callSoon C (scheduled by A: next turn)", "task step 2 (after a yield)", "timer 0.1 s", "timer 0.2 s");
        assertThat((String) r[1]).contains("task careless took").contains("Thread.sleep");
    }

    @Test
    void cancellationReachesFinallyAndTheGroupCancelsTheSibling() {
        @SuppressWarnings("unchecked")
        java.util.List<String> log = (java.util.List<String>) Tour.runChapter(7, out, false, virtual);
        assertThat(log).containsExactly("download cleaned up in finally", "slow sibling cancelled");
        assertThat(text()).contains("rethrew the task's own exception");
    }

    @Test
    void combinatorsBehaveAsDescribed() {
        @SuppressWarnings("unchecked")
        java.util.List<Object> seen = (java.util.List<Object>) Tour.runChapter(8, out, false, virtual);
        assertThat(seen).containsExactly(java.util.List.of("slow", "fast", "medium"), false,
                java.util.List.of("b", "c", "a"), "waitFor timed out", "scope expired");
    }

    @Test
    void contextManagersReleaseOnExit() {
        @SuppressWarnings("unchecked")
        java.util.List<String> log = (java.util.List<String>) Tour.runChapter(9, out, false, real);
        assertThat(log).containsSubsequence("first in", "first out", "second in", "second out", "group task done");
        assertThat(log.get(log.size() - 1)).isEqualTo("received 200003");
    }

    @Test
    void threadSleepBlocksTheLoopAndSleepDoesNot() {
        SleepVersusThreadSleep.Run[] r = (SleepVersusThreadSleep.Run[]) Tour.runChapter(10, out, false, real);
        // Only bounds a busy machine cannot break: lower bounds, and one run against the other.
        assertThat(r[0].seconds()).isGreaterThanOrEqualTo(0.99);  // three sleep(1.0) overlap ...
        assertThat(r[1].seconds()).isGreaterThanOrEqualTo(2.99);  // ... three Thread.sleep(1000) cannot
        assertThat(r[0].seconds()).isLessThan(r[1].seconds());
        assertThat(r[1].worstLag()).isGreaterThanOrEqualTo(0.9);  // the loop was blocked for seconds
        assertThat(r[0].worstLag()).isLessThan(r[1].worstLag());
    }

    @Test
    void useCasesEchoCrawlAndQueryConcurrently() {
        UseCases.Results r = (UseCases.Results) Tour.runChapter(11, out, false, real);
        assertThat(r.echoed()).isEqualTo(1000);
        assertThat(r.pages()).isEqualTo(20);
        assertThat(r.retries()).isEqualTo(2);
        assertThat(r.maxInFlight()).isLessThanOrEqualTo(5);
        assertThat(r.maxInFlight()).as("pages were fetched concurrently (seen by the server, not timed)").isGreaterThan(1);
        assertThat(r.dbRows()).isEqualTo(20_000);
    }

    @Test
    void cpuWorkOnTheLoopStallsItAndOffloadedItDoesNot() {
        TheGil.Result r = (TheGil.Result) Tour.runChapter(12, out, false, real);
        assertThat(r.lagOffloaded()).isLessThan(r.lagOnLoop()); // relative only: no wall-clock bound
    }

    @Test
    void servicesSuperviseStartOnReadinessGiveUpQuietlyShieldCleanUpAndSelect() {
        Services.Results r = (Services.Results) Tour.runChapter(13, out, false, real);
        assertThat(r.supervised()).containsExactlyInAnyOrder("a done", "c done");
        assertThat(r.failureSeen()).isEqualTo("worker b broke");
        assertThat(r.echoed()).isEqualTo("ready before the first connection");
        assertThat(r.gaveUp()).isNull();
        assertThat(r.secondsLeft()).isBetween(0.0, 5.0);
        assertThat(r.cleanup()).containsExactly("connection returned to the pool", "request cancelled");
        assertThat(r.selected()).containsExactly("got order 1", "got order 2", "alert: stock low", "quiet");
        assertThat(text()).contains("Chapter 13").contains("supervise:");
    }

    @Test
    void listNamesEveryChapter() {
        assertThat(Tour.CHAPTERS).hasSize(14);
    }
}
