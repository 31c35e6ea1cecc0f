package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gatherSettled;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded randomized cancellation: many tasks contend for a lock, a semaphore, a condition and a
 * bounded queue while random tasks are cancelled at random moments, including the instant after
 * they were woken. At the end every invariant must hold: the lock is free, every permit is back,
 * no queue item was lost or duplicated, and every task finished. The seed is in the test name so a
 * failure can be replayed; {@code -Djasyncio.stress.scale=N} multiplies the work.
 */
@Timeout(120)
class SyncStressTest {
    private static final int SCALE = Integer.getInteger("jasyncio.stress.scale", 1);

    /** Runs a suspending call with the current task listed as waiting. */
    private static <T> T waitingFor(List<Task<?>> waiting, java.util.function.Supplier<T> call) {
        Task<?> me = Asyncio.currentTask();
        waiting.add(me);
        try {
            return call.get();
        } finally {
            waiting.remove(me);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 42, 1234, 4242, 99991})
    void randomCancellationLosesNothing(long seed) {
        TestLoop.run(() -> {
            Random rnd = new Random(seed);
            Lock lock = new Lock();
            Semaphore sem = new Semaphore(3);
            Condition cond = new Condition();
            Queue<Integer> queue = new Queue<>(4);
            int[] inCritical = {0};
            int[] inSemaphore = {0};
            int[] token = {0};
            Set<Integer> received = new HashSet<>();
            List<Integer> put = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            // Tasks waiting in acquire/get/put/await now. Right after a release, a random one of
            // them (often the one just woken) is cancelled before it resumes: the hard case.
            List<Task<?>> lockW = new ArrayList<>(), semW = new ArrayList<>(), getW = new ArrayList<>(),
                    putW = new ArrayList<>(), condW = new ArrayList<>();
            java.util.function.Consumer<List<Task<?>>> cancelSomeone = waiting -> {
                if (!waiting.isEmpty() && rnd.nextInt(3) > 0) {
                    waiting.get(rnd.nextInt(Math.min(2, waiting.size()))).cancel(); // FIFO: 0 was just woken
                } else if (rnd.nextInt(4) == 0) {
                    tasks.get(rnd.nextInt(tasks.size())).cancel();
                }
            };
            int n = 200 * SCALE;
            for (int i = 0; i < n; i++) {
                int id = i;
                switch (rnd.nextInt(5)) {
                    case 0 -> tasks.add(createTask(() -> {
                        try (Held h = waitingFor(lockW, lock::acquire)) {
                            inCritical[0]++;
                            assertThat(inCritical[0]).isEqualTo(1);
                            sleep(rnd.nextInt(3) * 0.01);
                            inCritical[0]--;
                        }
                        cancelSomeone.accept(lockW);
                        return null;
                    }));
                    case 1 -> tasks.add(createTask(() -> {
                        try (Held p = waitingFor(semW, sem::acquire)) {
                            inSemaphore[0]++;
                            assertThat(inSemaphore[0]).isLessThanOrEqualTo(3);
                            sleep(rnd.nextInt(3) * 0.01);
                            inSemaphore[0]--;
                        }
                        cancelSomeone.accept(semW);
                        return null;
                    }));
                    case 2 -> tasks.add(createTask(() -> {
                        waitingFor(putW, () -> {
                            queue.put(id);
                            return null;
                        });
                        put.add(id);
                        cancelSomeone.accept(getW);
                        return null;
                    }));
                    case 3 -> tasks.add(createTask(() -> {
                        Integer item = waitingFor(getW, queue::get);
                        assertThat(received.add(item)).as("item %s received twice", item).isTrue();
                        cancelSomeone.accept(putW);
                        return null;
                    }));
                    default -> tasks.add(createTask(() -> {
                        try (Held h = waitingFor(lockW, cond::acquire)) {
                            if (rnd.nextBoolean()) {
                                waitingFor(condW, () -> cond.awaitFor(() -> token[0] > 0));
                                token[0]--;
                            } else {
                                token[0]++;
                                cond.notifyOne();
                            }
                        }
                        cancelSomeone.accept(condW);
                        return null;
                    }));
                }
                if (rnd.nextInt(4) == 0) {
                    yieldNow();
                }
                if (rnd.nextInt(3) == 0 && !tasks.isEmpty()) {
                    Task<?> victim = tasks.get(rnd.nextInt(tasks.size()));
                    if (rnd.nextBoolean()) {
                        victim.cancel();
                    } else {
                        Asyncio.getRunningLoop().callSoon(victim::cancel); // right after a wake-up
                    }
                }
            }
            // Let everything settle: release condition waiters, drain the queue, stop blocked putters.
            for (int round = 0; round < 50 && tasks.stream().anyMatch(t -> !t.done()); round++) {
                try (Held h = cond.acquire()) {
                    token[0] += 100;
                    cond.notifyAllWaiters();
                }
                while (!queue.empty()) {
                    received.add(queue.getNowait());
                }
                sleep(0.1);
            }
            while (!queue.empty()) {
                received.add(queue.getNowait());
            }
            queue.shutdown(true); // blocked putters and getters fail; nothing is discarded
            sleep(0.1);
            List<Task<?>> stuck = tasks.stream().filter(t -> !t.done()).toList();
            stuck.forEach(Task::cancel); // a lost wake-up leaves a task waiting forever: report it, don't hang
            gatherSettled(tasks);
            assertThat(stuck).as("tasks left waiting after everything was released").isEmpty();
            assertThat(lock.locked()).isFalse();
            assertThat(sem.availablePermits()).isEqualTo(3);
            assertThat(cond.locked()).isFalse();
            assertThat(received).containsAll(put); // every item that went in came out
            assertThat(put).containsAll(received); // and nothing else
            return null;
        });
    }
}
