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

    /** A line under test and what its parkers did: who got through, and how many pass-ons ran. */
    private static final class Line {
        final WaitQueue queue = new WaitQueue("Thing.wait", OWNER);
        final List<String> through = new ArrayList<>();
        int passOns;

        /** A task that parks once in the line, then records that it got through. */
        Task<String> parker(String name) {
            return createTask(name, () -> {
                queue.park(getRunningLoop(), () -> passOns++);
                through.add(name);
                return name;
            });
        }

        /** A parker that is already waiting in the line when this returns. */
        Task<String> waiting(String name) {
            Task<String> t = parker(name);
            yieldNow();
            return t;
        }
    }

    @Test
    void parkedTasksAreWokenFirstInFirstOutAndCountUntilTheyRun() {
        TestLoop.run(() -> {
            Line l = new Line();
            List<Task<String>> tasks = List.of(l.parker("A"), l.parker("B"),
                    l.parker("C"));
            yieldNow();
            assertThat(l.queue.size()).isEqualTo(3);
            assertThat(l.queue.wakeOne()).isTrue();
            assertThat(l.queue.size()).as("the woken task has left the line").isEqualTo(2);
            assertThat(l.queue.hasWaiters()).isTrue();
            assertThat(l.queue.wake(5)).as("only two were left to wake").isEqualTo(2);
            assertThat(l.queue.size()).isZero();
            assertThat(l.queue.hasWaiters()).as("woken, not run yet: a newcomer must not overtake them").isTrue();
            assertThat(l.queue.wakeOne()).isFalse();
            Asyncio.gather(tasks);
            assertThat(l.through).containsExactly("A", "B", "C");
            assertThat(l.queue.hasWaiters()).isFalse();
            assertThat(l.passOns).isZero();
            return null;
        });
    }

    @Test
    void theOrderHoldsAsWaitersComeAndGoFromEitherEnd() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.waiting("A");
            Task<String> b = l.waiting("B");
            Task<String> c = l.waiting("C");
            a.cancel(); // the first leaves: B is first now
            yieldNow();
            Task<String> d = l.waiting("D");
            c.cancel(); // one from the middle
            yieldNow();
            assertThat(l.queue.size()).isEqualTo(2);
            assertThat(l.queue.wakeOne()).isTrue();
            b.await();
            Task<String> e = l.waiting("E");
            l.queue.wakeAll();
            Asyncio.gather(d, e);
            assertThat(l.through).containsExactly("B", "D", "E");
            assertThat(l.queue.hasWaiters()).isFalse();
            Task<String> f = l.waiting("F"); // alone again after the others
            assertThat(l.queue.size()).isEqualTo(1);
            l.queue.wakeOne();
            assertThat(f.await()).isEqualTo("F");
            return null;
        });
    }

    @Test
    void aWaiterCancelledBeforeItsWakeUpLeavesTheLineAndPassesNothingOn() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.parker("A");
            Task<String> b = l.parker("B");
            yieldNow();
            a.cancel("go away");
            assertThat(l.queue.size()).as("A left the line at once").isEqualTo(1);
            assertThat(l.queue.wakeOne()).as("the wake-up goes to B").isTrue();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class).hasMessage("go away");
            assertThat(b.await()).isEqualTo("B");
            assertThat(l.through).containsExactly("B");
            assertThat(l.passOns).isZero();
            assertThat(l.queue.hasWaiters()).isFalse();
            return null;
        });
    }

    @Test
    void aWaiterCancelledAfterItsWakeUpPassesItOnOnceAndThrows() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.waiting("A");
            l.queue.wakeOne();
            a.cancel("too late");
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class).hasMessage("too late");
            assertThat(l.passOns).as("the wake-up it will not use is handed on").isEqualTo(1);
            assertThat(l.through).isEmpty();
            assertThat(l.queue.hasWaiters()).as("no longer counted as woken").isFalse();
            return null;
        });
    }

    @Test
    void aWokenWaiterWhoseCancellationIsTakenBackBeforeItRunsUsesItsWakeUp() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.waiting("A");
            l.queue.wakeOne();
            a.cancel();
            a.uncancel(); // rule (c) of Task: not yet handed on, so dropped
            assertThat(a.await()).isEqualTo("A");
            assertThat(l.passOns).isZero();
            return null;
        });
    }

    @Test
    void aWaiterTakenOutOfTheLineStaysCancelledWhenItsCancellationIsTakenBack() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.waiting("A");
            a.cancel();
            a.uncancel(); // too late: the cancellation has taken A out of the line (asyncio: its waiter future is cancelled)
            assertThat(l.queue.size()).isZero();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(l.passOns).isZero();
            return null;
        });
    }

    @Test
    void aTaskWithACancellationOnItsWayDoesNotJoinTheLineAndLetsTheLoopTurnOnce() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<Void> other = createTask(() -> {
                l.through.add("other ran");
                return null;
            });
            Task<Void> a = createTask(() -> {
                currentTask().cancel("self");
                try {
                    l.queue.park(getRunningLoop());
                } finally {
                    l.through.add("A threw, line size " + l.queue.size());
                }
                return null;
            });
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class).hasMessage("self");
            other.await();
            assertThat(l.through).containsExactly("other ran", "A threw, line size 0");
            assertThat(l.queue.hasWaiters()).isFalse();
            return null;
        });
    }

    @Test
    void joinedFuturesAndParkedTasksShareOneFirstInFirstOutLine() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.waiting("A");
            Future<Void> joined = l.queue.join(getRunningLoop());
            Task<String> b = l.parker("B");
            yieldNow();
            assertThat(l.queue.size()).isEqualTo(3);
            l.queue.wakeOne();
            assertThat(joined.done()).as("A was first").isFalse();
            l.queue.wakeOne();
            assertThat(joined.done()).isTrue();
            assertThat(l.queue.leave(joined)).as("the joined waiter holds a wake-up").isTrue();
            assertThat(l.queue.size()).isEqualTo(1);
            Future<Void> cancelledJoin = l.queue.join(getRunningLoop());
            assertThat(l.queue.leave(cancelledJoin)).as("left before any wake-up").isFalse();
            l.queue.wakeAll();
            assertThat(a.await()).isEqualTo("A");
            assertThat(b.await()).isEqualTo("B");
            assertThat(l.through).containsExactly("A", "B");
            return null;
        });
    }

    @Test
    void aParkedTaskIsDescribedByItsLine() {
        TestLoop.run(() -> {
            Line l = new Line();
            Task<String> a = l.waiting("A");
            assertThat(a.toString()).contains("awaiting=Thing.wait on Thing[1]");
            l.queue.wakeOne();
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
