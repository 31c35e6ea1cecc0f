package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The doors into a loop from other threads, hammered at once: runCoroutineThreadsafe from many
 * threads with random cancellations, and CompletionStages completed on foreign threads while tasks
 * await them. Every future must settle exactly once and nothing may hang. Scaled by
 * {@code -Djasyncio.stress.scale}.
 */
@Timeout(120)
class CrossThreadStressTest {
    private static final int SCALE = Integer.getInteger("jasyncio.stress.scale", 1);

    @Test
    void manyThreadsSubmitAndCancelCoroutines() throws Exception {
        int threads = 4, each = 500 * SCALE;
        try (LoopGroup group = new LoopGroup(1)) {
            EventLoop loop = group.loops().get(0);
            AtomicInteger ran = new AtomicInteger(), cancelled = new AtomicInteger(), completed = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                clients.add(Thread.ofPlatform().start(() -> {
                    java.util.Random rnd = new java.util.Random(seed);
                    try {
                        go.await();
                        List<CompletableFuture<Integer>> mine = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            int n = i;
                            CompletableFuture<Integer> f = Asyncio.runCoroutineThreadsafe(() -> {
                                ran.incrementAndGet();
                                Asyncio.sleep(rnd.nextInt(3) * 0.001);
                                return n;
                            }, loop);
                            if (rnd.nextInt(5) == 0) {
                                f.cancel(true);
                            }
                            mine.add(f);
                        }
                        for (int i = 0; i < mine.size(); i++) {
                            try {
                                assertThat(mine.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
                                completed.incrementAndGet();
                            } catch (CancellationException e) {
                                cancelled.incrementAndGet();
                            }
                        }
                    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            go.countDown();
            for (Thread c : clients) {
                c.join();
            }
            assertThat(completed.get() + cancelled.get()).isEqualTo(threads * each);
            assertThat(cancelled.get()).isPositive();
            // The loop is still healthy.
            assertThat(Asyncio.runCoroutineThreadsafe(() -> "alive", loop).get(10, TimeUnit.SECONDS)).isEqualTo("alive");
        }
    }

    @Test
    void stagesCompletedOnForeignThreadsWakeTheirTasks() {
        int n = 2000 * SCALE;
        long total = Asyncio.run(() -> {
            List<Task<Integer>> waiters = new ArrayList<>();
            List<CompletableFuture<Integer>> stages = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Integer> cf = new CompletableFuture<>();
                stages.add(cf);
                waiters.add(Asyncio.createTask(() -> Asyncio.await(cf)));
            }
            Asyncio.yieldNow(); // every task is waiting
            Thread[] completers = new Thread[4];
            for (int t = 0; t < completers.length; t++) {
                int start = t;
                completers[t] = Thread.ofPlatform().start(() -> {
                    for (int i = start; i < n; i += completers.length) {
                        stages.get(i).complete(i);
                    }
                });
            }
            long sum = 0;
            for (Task<Integer> w : waiters) {
                sum += w.await();
            }
            for (Thread c : completers) {
                c.join();
            }
            return sum;
        }, LoopOptions.defaults().withHandleSigint(false));
        assertThat(total).isEqualTo((long) n * (n - 1) / 2);
    }

    /**
     * A storm of threads against one loop's threadsafe inbox while the loop keeps ticking: every
     * callback runs exactly once, each thread's callbacks in the order it posted them, and the loop's
     * own timer keeps running during the storm.
     */
    @Test
    void threadStormAgainstOneLoopRunsEveryCallbackOnceInOrder() throws Exception {
        int threads = 64, each = 2_000 * SCALE;
        try (LoopGroup group = new LoopGroup(1)) {
            EventLoop loop = group.loops().get(0);
            int[] lastSeen = new int[threads]; // touched only on the loop thread
            java.util.Arrays.fill(lastSeen, -1);
            AtomicInteger outOfOrder = new AtomicInteger(), ran = new AtomicInteger(), ticks = new AtomicInteger();
            CompletableFuture<Object> ticker = Asyncio.runCoroutineThreadsafe(() -> {
                while (ran.get() < threads * each) {
                    Asyncio.sleep(0.001);
                    ticks.incrementAndGet();
                }
                return null;
            }, loop);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> storm = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                storm.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < each; k++) {
                        int seq = k;
                        loop.callSoonThreadsafe(() -> {
                            if (lastSeen[id] != seq - 1) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[id] = seq;
                            ran.incrementAndGet();
                        });
                    }
                }));
            }
            go.countDown();
            for (Thread t : storm) {
                t.join();
            }
            ticker.get(60, TimeUnit.SECONDS);
            assertThat(ran.get()).isEqualTo(threads * each);
            assertThat(outOfOrder.get()).isZero();
            assertThat(ticks.get()).as("the loop's timer ran during the storm").isPositive();
        }
    }
}
