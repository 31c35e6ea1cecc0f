package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.internal.WaitQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The line under every primitive ({@link WaitQueue}), tested on its own: FIFO wake-ups, the woken
 * count, the pass-on rule at each point a cancellation can meet a waiter, tasks parked without a
 * future beside futures joined by {@code Select}, and how a parked task is described.
 */
@Timeout(60)
class WaitQueueTest {

    private static final Object OWNER = new Object() {
        @Override
        public String toString() {
            return "Thing[1]";
        }
    };

    /** A task that parks once in {@code line} and records that it got through, counting pass-ons. */
    private static Task<String> parker(WaitQueue line, String name, List<String> log, int[] passOns) {
        return createTask(name, () -> {
            line.park(getRunningLoop(), () -> passOns[0]++);
            log.add(name);
            return name;
        });
    }

    @Test
    void parkedTasksAreWokenFirstInFirstOutAndCountUntilTheyRun() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            int[] passOns = {0};
            List<Task<String>> tasks = List.of(parker(line, "A", log, passOns), parker(line, "B", log, passOns),
                    parker(line, "C", log, passOns));
            yieldNow();
            assertThat(line.size()).isEqualTo(3);
            assertThat(line.wakeOne()).isTrue();
            assertThat(line.size()).as("the woken task has left the line").isEqualTo(2);
            assertThat(line.hasWaiters()).isTrue();
            assertThat(line.wake(5)).as("only two were left to wake").isEqualTo(2);
            assertThat(line.size()).isZero();
            assertThat(line.hasWaiters()).as("woken, not run yet: a newcomer must not overtake them").isTrue();
            assertThat(line.wakeOne()).isFalse();
            Asyncio.gather(tasks);
            assertThat(log).containsExactly("A", "B", "C");
            assertThat(line.hasWaiters()).isFalse();
            assertThat(passOns[0]).isZero();
            return null;
        });
    }

    @Test
    void aWaiterCancelledBeforeItsWakeUpLeavesTheLineAndPassesNothingOn() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            int[] passOns = {0};
            Task<String> a = parker(line, "A", log, passOns);
            Task<String> b = parker(line, "B", log, passOns);
            yieldNow();
            a.cancel("go away");
            assertThat(line.size()).as("A left the line at once").isEqualTo(1);
            assertThat(line.wakeOne()).as("the wake-up goes to B").isTrue();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class).hasMessage("go away");
            assertThat(b.await()).isEqualTo("B");
            assertThat(log).containsExactly("B");
            assertThat(passOns[0]).isZero();
            assertThat(line.hasWaiters()).isFalse();
            return null;
        });
    }

    @Test
    void aWaiterCancelledAfterItsWakeUpPassesItOnOnceAndThrows() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            int[] passOns = {0};
            Task<String> a = parker(line, "A", log, passOns);
            yieldNow();
            line.wakeOne();
            a.cancel("too late");
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class).hasMessage("too late");
            assertThat(passOns[0]).as("the wake-up it will not use is handed on").isEqualTo(1);
            assertThat(log).isEmpty();
            assertThat(line.hasWaiters()).as("no longer counted as woken").isFalse();
            return null;
        });
    }

    @Test
    void aWokenWaiterWhoseCancellationIsTakenBackBeforeItRunsUsesItsWakeUp() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            int[] passOns = {0};
            Task<String> a = parker(line, "A", log, passOns);
            yieldNow();
            line.wakeOne();
            a.cancel();
            a.uncancel(); // rule (c) of Task: not yet handed on, so dropped
            assertThat(a.await()).isEqualTo("A");
            assertThat(passOns[0]).isZero();
            return null;
        });
    }

    @Test
    void aWaiterTakenOutOfTheLineStaysCancelledWhenItsCancellationIsTakenBack() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            int[] passOns = {0};
            Task<String> a = parker(line, "A", log, passOns);
            yieldNow();
            a.cancel();
            a.uncancel(); // too late: the cancellation has taken A out of the line (asyncio: its waiter future is cancelled)
            assertThat(line.size()).isZero();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(passOns[0]).isZero();
            return null;
        });
    }

    @Test
    void aTaskWithACancellationOnItsWayDoesNotJoinTheLineAndLetsTheLoopTurnOnce() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            Task<Void> other = createTask(() -> {
                log.add("other ran");
                return null;
            });
            Task<Void> a = createTask(() -> {
                currentTask().cancel("self");
                try {
                    line.park(getRunningLoop());
                } finally {
                    log.add("A threw, line size " + line.size());
                }
                return null;
            });
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class).hasMessage("self");
            other.await();
            assertThat(log).containsExactly("other ran", "A threw, line size 0");
            assertThat(line.hasWaiters()).isFalse();
            return null;
        });
    }

    @Test
    void joinedFuturesAndParkedTasksShareOneFirstInFirstOutLine() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            List<String> log = new ArrayList<>();
            int[] passOns = {0};
            Task<String> a = parker(line, "A", log, passOns);
            yieldNow();
            Future<Void> joined = line.join(getRunningLoop());
            Task<String> b = parker(line, "B", log, passOns);
            yieldNow();
            assertThat(line.size()).isEqualTo(3);
            line.wakeOne();
            assertThat(joined.done()).as("A was first").isFalse();
            line.wakeOne();
            assertThat(joined.done()).isTrue();
            assertThat(line.leave(joined)).as("the joined waiter holds a wake-up").isTrue();
            assertThat(line.size()).isEqualTo(1);
            Future<Void> cancelledJoin = line.join(getRunningLoop());
            assertThat(line.leave(cancelledJoin)).as("left before any wake-up").isFalse();
            line.wakeAll();
            assertThat(a.await()).isEqualTo("A");
            assertThat(b.await()).isEqualTo("B");
            assertThat(log).containsExactly("A", "B");
            return null;
        });
    }

    @Test
    void aParkedTaskIsDescribedByItsLine() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            Task<String> a = parker(line, "A", new ArrayList<>(), new int[1]);
            yieldNow();
            assertThat(a.toString()).contains("awaiting=Thing.wait on Thing[1]");
            line.wakeOne();
            assertThat(a.toString()).as("woken: it waits on nothing").doesNotContain("awaiting=");
            a.await();
            return null;
        });
    }

    @Test
    void parkingOutsideATaskNamesTheOperation() {
        TestLoop.run(() -> {
            WaitQueue line = new WaitQueue("Thing.wait", OWNER);
            Future<Throwable> failure = new Future<>(getRunningLoop());
            getRunningLoop().callSoon(() -> {
                try {
                    line.park(getRunningLoop());
                    failure.setResult(null);
                } catch (Throwable t) {
                    failure.setResult(t);
                }
            });
            assertThat(failure.await()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Thing.wait() must be called from inside a jasyncio task");
            assertThat(line.size()).isZero();
            return null;
        });
    }
}
