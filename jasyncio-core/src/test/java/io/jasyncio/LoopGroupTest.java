package io.jasyncio;

import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class LoopGroupTest {

    @Test
    void submitSpreadsWorkOverLoopsOnDistinctThreads() throws Exception {
        try (LoopGroup group = new LoopGroup(3)) {
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                results.add(group.submit(() -> {
                    sleep(0.01);
                    return Thread.currentThread().getName() + "@" + System.identityHashCode(Asyncio.getRunningLoop());
                }));
            }
            Set<String> loops = new HashSet<>();
            for (CompletableFuture<String> r : results) {
                loops.add(r.get(10, TimeUnit.SECONDS).split("@")[1]);
            }
            assertThat(loops).hasSize(3);
        }
    }

    /**
     * With several loops running at once, every task finds its own loop and itself as the current
     * task at every step (the virtual-thread engine recognises a task thread as its loop's current
     * task's thread, without a thread-local on task threads).
     */
    @Test
    void tasksOfParallelLoopsAlwaysFindTheirOwnLoop() throws Exception {
        try (LoopGroup group = new LoopGroup(3)) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (EventLoop loop : group.loops()) {
                results.add(Asyncio.runCoroutineThreadsafe(() -> {
                    List<Task<Integer>> tasks = new ArrayList<>();
                    for (int t = 0; t < 20; t++) {
                        tasks.add(Asyncio.createTask(() -> {
                            Task<?> me = Asyncio.currentTask();
                            int wrong = 0;
                            for (int i = 0; i < 200; i++) {
                                Asyncio.yieldNow();
                                if (Asyncio.getRunningLoop() != loop || Asyncio.currentTask() != me) {
                                    wrong++;
                                }
                            }
                            return wrong;
                        }));
                    }
                    int wrong = 0;
                    for (int w : Asyncio.gather(tasks)) {
                        wrong += w;
                    }
                    return wrong;
                }, loop));
            }
            for (CompletableFuture<Integer> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isZero();
            }
        }
    }

    @Test
    void closeCancelsRemainingTasksAndRunsTheirFinally() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Object> pending;
        LoopGroup group = new LoopGroup(2);
        pending = group.submit(() -> {
            try {
                sleep(3600);
            } finally {
                log.add("finally ran");
            }
            return null;
        });
        Thread.sleep(50);
        group.close();
        assertThat(log).containsExactly("finally ran");
        assertThat(pending.isCancelled()).isTrue();
        assertThat(group.loops()).allMatch(EventLoop::isClosed);
        assertThatThrownBy(() -> group.submit(() -> 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new LoopGroup(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Java has no GIL: CPU-bound work handed to toThread runs on other threads in parallel while the
     * loop stays responsive. Proved without timing (a loaded CI machine makes any time bound flaky):
     * the workers must all be inside their work at once (they meet at a barrier while busy), and they
     * finish only after the loop has ticked while they were running.
     */
    @Test
    void offloadedWorkRunsInParallelWhileTheLoopStaysResponsive() {
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        Asyncio.run(() -> {
            java.util.concurrent.CyclicBarrier allInside = new java.util.concurrent.CyclicBarrier(workers);
            java.util.concurrent.atomic.AtomicInteger ticksWhileBusy = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
            Task<Void> ticker = Asyncio.createTask(() -> {
                while (busy.get()) {
                    sleep(0.001);
                    ticksWhileBusy.incrementAndGet();
                }
                return null;
            });
            List<Task<Long>> tasks = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                tasks.add(Asyncio.createTask(() -> toThread(() -> {
                    long x = spin(1_000_000, 0);
                    allInside.await(60, TimeUnit.SECONDS); // only if every worker runs at the same time
                    int seen = ticksWhileBusy.get();
                    while (ticksWhileBusy.get() < seen + 10) { // the loop keeps running meanwhile
                        x = spin(10_000, x);
                    }
                    return x;
                })));
            }
            for (Task<Long> w : tasks) {
                w.await();
            }
            busy.set(false);
            ticker.await();
            assertThat(allInside.isBroken()).isFalse();
            return null;
        }, LoopOptions.defaults().withHandleSigint(false));
    }

    private static long spin(int rounds, long x) {
        for (int k = 0; k < rounds; k++) {
            x += k * 31L ^ (x >>> 3);
        }
        return x;
    }
}
