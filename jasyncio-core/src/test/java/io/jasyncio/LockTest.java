package io.jasyncio;

import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LockTest {

    @Test
    void waitersAcquireInFifoOrder() {
        TestLoop.run(() -> {
            Lock lock = new Lock();
            List<Integer> order = new ArrayList<>();
            Held first = lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                tasks.add(createTask(() -> {
                    try (Held h = lock.acquire()) {
                        order.add(n);
                        sleep(0.1);
                    }
                    return null;
                }));
                yieldNow();
            }
            first.close();
            Asyncio.gather(tasks);
            assertThat(order).containsExactly(0, 1, 2, 3, 4);
            assertThat(lock.locked()).isFalse();
            return null;
        });
    }

    @Test
    void releaseWhenUnlockedThrowsAndAnyTaskMayRelease() {
        TestLoop.run(() -> {
            Lock lock = new Lock();
            assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("not acquired");
            Task<Void> holder = createTask(() -> {
                lock.acquire();
                sleep(10);
                lock.release();
                return null;
            });
            yieldNow();
            assertThat(lock.locked()).isTrue();
            lock.release(); // as in asyncio, any task may release a locked lock
            assertThat(lock.locked()).isFalse();
            assertThatThrownBy(holder::await).as("the holder's own release now finds it unlocked")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not acquired");
            return null;
        });
    }

    @Test
    void cancelledWaiterTakesNoTurn() {
        TestLoop.run(() -> {
            Lock lock = new Lock();
            Held held = lock.acquire();
            Task<String> a = createTask(() -> {
                try (Held h = lock.acquire()) {
                    return "a";
                }
            });
            Task<String> b = createTask(() -> {
                try (Held h = lock.acquire()) {
                    return "b";
                }
            });
            yieldNow();
            a.cancel();
            held.close();
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(b.await()).isEqualTo("b");
            assertThat(lock.locked()).isFalse();
            return null;
        });
    }

    @Test
    void waiterCancelledAtTheInstantItWasWokenPassesTheLockOn() {
        TestLoop.run(() -> {
            Lock lock = new Lock();
            Held held = lock.acquire();
            Task<String> a = createTask(() -> {
                try (Held h = lock.acquire()) {
                    return "a";
                }
            });
            Task<String> b = createTask(() -> {
                try (Held h = lock.acquire()) {
                    return "b";
                }
            });
            yieldNow();
            held.close(); // wakes a ...
            a.cancel();   // ... which is cancelled before it runs
            assertThatThrownBy(a::await).isInstanceOf(CancelledError.class);
            assertThat(b.await()).isEqualTo("b");
            assertThat(lock.locked()).isFalse();
            return null;
        });
    }

    @Test
    void aLockServesOneLoopOnly() {
        Lock lock = new Lock();
        TestLoop.run(() -> { // a task waits on it: the lock binds to this loop
            Held held = lock.acquire();
            Task<?> waiter = createTask(() -> {
                lock.acquire().close();
                return null;
            });
            yieldNow();
            held.close();
            waiter.await();
            lock.acquire();
            return null;
        });
        TestLoop.run(() -> {
            assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("different event loop");
            return null;
        });
        assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("no event loop");
        lock.release(); // never suspends: works without a loop, as in asyncio
        assertThat(lock.locked()).isFalse();
    }

    // ---------------------------------------------------------------- a woken waiter cancelled in the same turn

    @Test
    void wokenWaiterCancelledInTheSameTurnPassesTheLockOnToExactlyOneTask() {
        TestLoop.run(() -> {
            for (boolean cancelFirst : new boolean[] {false, true}) {
                Lock lock = new Lock();
                List<String> holders = new ArrayList<>();
                int[] inside = {0};
                Coroutine<String> user = () -> {
                    try (Held h = lock.acquire()) {
                        holders.add(currentTask().getName());
                        assertThat(inside[0]++).as("other holders while %s holds the lock", currentTask().getName()).isZero();
                        sleep(1);
                        inside[0]--;
                        return currentTask().getName();
                    }
                };
                Held t1 = lock.acquire();
                Task<String> t2 = createTask("T2", user);
                Task<String> t3 = createTask("T3", user);
                Task<String> t4 = createTask("T4", user);
                yieldNow(); // all three wait now
                if (cancelFirst) {
                    // T2's wait is cancelled, then the release wakes T3. When T2 then unwinds, the
                    // lock is still free (T3 has not run): a pass-on that only asks "is it free?"
                    // wakes T4 too, and T3 and T4 both take it (checked: fails so on 4ca2867).
                    t2.cancel();
                    t1.close();
                } else {
                    t1.close(); // wakes T2 ...
                    t2.cancel(); // ... which is cancelled before it runs: it must pass the wake-up to T3
                }
                assertThatThrownBy(t2::await).isInstanceOf(CancelledError.class);
                assertThat(t3.await()).isEqualTo("T3");
                assertThat(t4.await()).isEqualTo("T4");
                assertThat(holders).containsExactly("T3", "T4");
                assertThat(lock.locked()).isFalse();
            }
            return null;
        });
    }
}
