package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Event, Condition, Semaphore, BoundedSemaphore, Barrier. */
@Timeout(60)
class SyncPrimitivesTest {

    @Test
    void eventWakesEveryWaiterAndClearResets() {
        TestLoop.run(() -> {
            Event ev = new Event();
            List<Task<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(createTask(ev::await));
            }
            yieldNow();
            assertThat(waiters).noneMatch(Future::done);
            ev.set();
            assertThat(gather(waiters)).containsExactly(true, true, true);
            assertThat(ev.isSet()).isTrue();
            assertThat(ev.await()).isTrue();
            ev.clear();
            Task<Boolean> again = createTask(ev::await);
            sleep(1);
            assertThat(again.done()).isFalse();
            again.cancel();
            return null;
        });
    }

    @Test
    void conditionAwaitForAndNotify() {
        TestLoop.run(() -> {
            Condition cond = new Condition();
            List<Integer> items = new ArrayList<>();
            List<Integer> got = new ArrayList<>();
            List<Task<Void>> consumers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                consumers.add(createTask(() -> {
                    try (Held h = cond.acquire()) {
                        cond.awaitFor(() -> !items.isEmpty());
                        got.add(items.remove(0));
                    }
                    return null;
                }));
            }
            yieldNow();
            try (Held h = cond.acquire()) {
                items.add(1);
                cond.notifyOne();
            }
            sleep(0.1);
            assertThat(got).containsExactly(1);
            try (Held h = cond.acquire()) {
                items.add(2);
                items.add(3);
                cond.notifyAllWaiters();
            }
            gather(consumers);
            assertThat(got).containsExactly(1, 2, 3);
            return null;
        });
    }

    @Test
    void conditionRequiresTheLock() {
        TestLoop.run(() -> {
            Condition cond = new Condition();
            assertThatThrownBy(cond::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("un-acquired");
            assertThatThrownBy(cond::notifyOne).isInstanceOf(IllegalStateException.class);
            try (Held h = cond.acquire()) {
                assertThatThrownBy(() -> cond.notify(-1)).isInstanceOf(IllegalArgumentException.class);
            }
            return null;
        });
    }

    @Test
    void conditionReacquiresTheLockWhenCancelledAndPassesANotificationOn() {
        TestLoop.run(() -> {
            Condition cond = new Condition();
            List<String> log = new ArrayList<>();
            Task<Void> a = createTask(() -> {
                try (Held h = cond.acquire()) {
                    try {
                        cond.await();
                    } finally {
                        log.add("a holds the lock again: " + cond.locked());
                    }
                }
                return null;
            });
            Task<Void> b = createTask(() -> {
                try (Held h = cond.acquire()) {
                    cond.await();
                    log.add("b notified");
                }
                return null;
            });
            yieldNow();
            try (Held h = cond.acquire()) {
                cond.notifyOne(); // meant for a
            }
            a.cancel(); // ... cancelled before it could use it
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            b.await();
            assertThat(log).containsExactly("a holds the lock again: true", "b notified");
            assertThat(cond.locked()).isFalse();
            return null;
        });
    }

    @Test
    void semaphoreLimitsConcurrency() {
        TestLoop.run(() -> {
            Semaphore sem = new Semaphore(3);
            int[] running = {0, 0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(createTask(() -> {
                    try (Held p = sem.acquire()) {
                        running[0]++;
                        running[1] = Math.max(running[1], running[0]);
                        sleep(1);
                        running[0]--;
                    }
                    return null;
                }));
            }
            double start = Asyncio.getRunningLoop().time();
            gather(tasks);
            assertThat(running[1]).isEqualTo(3);
            assertThat(Asyncio.getRunningLoop().time() - start).isBetween(7.0, 7.1); // ceil(20/3) rounds
            assertThat(sem.availablePermits()).isEqualTo(3);
            return null;
        });
    }

    @Test
    void semaphoreWaiterCancelledAfterBeingHandedAPermitGivesItBack() {
        TestLoop.run(() -> {
            Semaphore sem = new Semaphore(1);
            Held held = sem.acquire();
            Task<String> a = createTask(() -> {
                try (Held p = sem.acquire()) {
                    return "a";
                }
            });
            Task<String> b = createTask(() -> {
                try (Held p = sem.acquire()) {
                    return "b";
                }
            });
            yieldNow();
            held.close(); // permit handed to a
            a.cancel();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(b.await()).isEqualTo("b");
            assertThat(sem.availablePermits()).isEqualTo(1);
            return null;
        });
    }

    @Test
    void badSemaphoreValuesAreRefused() {
        assertThatThrownBy(() -> new Semaphore(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1");
        TestLoop.run(() -> {
            BoundedSemaphore b = new BoundedSemaphore(1);
            b.acquire().close();
            assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("too many");
            return null;
        });
    }

    @Test
    void barrierReleasesAllPartiesWithDistinctIndices() {
        TestLoop.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(createTask(barrier::await));
                yieldNow();
                if (i < 2) {
                    assertThat(barrier.nWaiting()).isEqualTo(i + 1);
                }
            }
            assertThat(gather(tasks)).containsExactlyInAnyOrder(0, 1, 2);
            // reusable
            List<Task<Integer>> again = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                again.add(createTask(barrier::await));
            }
            assertThat(gather(again)).containsExactlyInAnyOrder(0, 1, 2);
            return null;
        });
    }

    @Test
    void barrierAbortAndResetBreakWaiters() {
        TestLoop.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> w = createTask(barrier::await);
            yieldNow();
            barrier.abort();
            assertThatThrownBy(w::await).isInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.broken()).isTrue();
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
            barrier.reset();
            Task<Integer> w2 = createTask(barrier::await);
            yieldNow();
            barrier.reset();
            assertThatThrownBy(w2::await).isInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.broken()).isFalse();
            return null;
        });
    }

    @Test
    void cancelledBarrierWaiterLeavesWithoutBreakingIt() {
        TestLoop.run(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> a = createTask(barrier::await);
            yieldNow();
            a.cancel();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(barrier.nWaiting()).isZero();
            assertThat(gather(barrier::await, barrier::await)).containsExactlyInAnyOrder(0, 1);
            return null;
        });
    }
}
