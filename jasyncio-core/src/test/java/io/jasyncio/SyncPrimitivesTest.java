package io.jasyncio;

import static io.jasyncio.Asyncio.currentTask;
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
            assertThatThrownBy(again::await).isInstanceOf(CancelledError.class);
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
            assertThatThrownBy(cond::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("lock is not held");
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
            assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("more often than acquired");
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

    // ---------------------------------------------------------------- asyncio fidelity

    @Test
    void semaphoresDefaultToOnePermit() {
        assertThat(new Semaphore().availablePermits()).isEqualTo(1);
        assertThat(new BoundedSemaphore().availablePermits()).isEqualTo(1);
    }

    @Test
    void wokenSemaphoreWaiterCancelledInTheSameTurnKeepsThePermitInPlay() {
        TestLoop.run(() -> {
            Semaphore sem = new Semaphore(1);
            List<String> got = new ArrayList<>();
            Held first = sem.acquire();
            Task<?> a = createTask(() -> {
                try (Held h = sem.acquire()) {
                    got.add("a");
                }
                return null;
            });
            Task<?> b = createTask(() -> {
                try (Held h = sem.acquire()) {
                    got.add("b");
                }
                return null;
            });
            yieldNow();
            first.close(); // hands the permit to a ...
            a.cancel();    // ... cancelled before it runs: b gets it
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            b.await();
            assertThat(got).containsExactly("b");
            assertThat(sem.availablePermits()).isEqualTo(1);
            return null;
        });
    }

    @Test
    void notifiedWaiterCancelledWhileReacquiringPassesTheNotificationOn() {
        TestLoop.run(() -> {
            Condition cond = new Condition();
            List<String> woke = new ArrayList<>();
            Coroutine<Object> waiter = () -> {
                try (Held h = cond.acquire()) {
                    cond.await();
                    woke.add(currentTask().getName());
                }
                return null;
            };
            Task<Object> a = createTask("a", waiter);
            Task<Object> b = createTask("b", waiter);
            yieldNow();
            Held held = cond.acquire();
            cond.notifyOne(); // a is notified, then has to wait for the lock we hold ...
            yieldNow();
            a.cancel();       // ... and is cancelled while re-acquiring it
            held.close();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            b.await(); // b got the notification a could not use
            assertThat(woke).containsExactly("b");
            return null;
        });
    }

    @Test
    void awaitForReturnsThePredicatesValue() {
        TestLoop.run(() -> {
            Condition cond = new Condition();
            List<String> items = new ArrayList<>();
            createTask(() -> {
                try (Held h = cond.acquire()) {
                    items.add("x");
                    cond.notifyAllWaiters();
                }
                return null;
            });
            try (Held h = cond.acquire()) {
                String first = cond.awaitFor(() -> items.isEmpty() ? null : items.get(0));
                assertThat(first).isEqualTo("x");
            }
            return null;
        });
    }

    @Test
    void operationsThatNeverSuspendWorkWithoutARunningLoop() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(QueueFullException.class);
        assertThat(q.getNowait()).isEqualTo(1);
        assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
        q.taskDone();
        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
        Event ev = new Event();
        ev.set();
        assertThat(ev.isSet()).isTrue();
        Semaphore sem = new Semaphore(0);
        sem.release();
        assertThat(sem.availablePermits()).isEqualTo(1);
        Condition cond = new Condition();
        assertThatThrownBy(cond::notifyOne).isInstanceOf(IllegalStateException.class).hasMessageContaining("lock is not held");
        assertThatThrownBy(() -> cond.notify(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
