package io.jasyncio;

import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    /**
     * Java has no GIL: CPU-bound work handed to toThread runs on other cores in parallel while the
     * loop stays responsive. Measured as loop lag and CPU time, never as speed.
     */
    @Test
    void offloadedCpuWorkUsesSeveralCoresWhileTheLoopStaysResponsive() {
        int cores = Runtime.getRuntime().availableProcessors();
        assumeTrue(cores >= 2, "needs at least two cores");
        assumeTrue(processCpuNanos() >= 0, "needs the process CPU time");
        Asyncio.run(() -> {
            double[] maxLag = {0};
            boolean[] stop = {false};
            Task<Void> ticker = Asyncio.createTask(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                while (!stop[0]) {
                    double before = loop.time();
                    sleep(0.005);
                    maxLag[0] = Math.max(maxLag[0], loop.time() - before - 0.005);
                }
                return null;
            });
            long wallStart = System.nanoTime();
            long cpuStart = processCpuNanos();
            List<Task<Long>> workers = new ArrayList<>();
            for (int i = 0; i < cores; i++) {
                workers.add(Asyncio.createTask(() -> toThread(() -> {
                    long x = 0;
                    long until = System.nanoTime() + 600_000_000L; // 0.6 s of busy work each
                    while (System.nanoTime() < until) {
                        for (int k = 0; k < 10_000; k++) {
                            x += k * 31L ^ (x >>> 3);
                        }
                    }
                    return x;
                })));
            }
            for (Task<Long> w : workers) {
                w.await();
            }
            long wall = System.nanoTime() - wallStart;
            long cpu = processCpuNanos() - cpuStart;
            stop[0] = true;
            ticker.await();
            // Parallel: the workers' CPU time clearly exceeds the wall time they took.
            assertThat((double) cpu / wall).as("CPU seconds per wall second").isGreaterThan(1.3);
            // Responsive: the loop kept ticking (generous bound, 2-core CI machine).
            assertThat(maxLag[0]).as("worst loop lag in seconds").isLessThan(0.5);
            return null;
        }, LoopOptions.defaults().handleSigint(false));
    }
}
