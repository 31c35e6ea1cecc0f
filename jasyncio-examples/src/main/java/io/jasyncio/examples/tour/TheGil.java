package io.jasyncio.examples.tour;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.toThread;

import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/** Chapter 12: CPU-bound work on the loop stalls it; offloaded, it runs in parallel on every core. */
final class TheGil implements Chapter {
    @Override
    public String title() {
        return "The GIL and Java: CPU-bound work";
    }

    @Override
    public String explanation() {
        return """
                In CPython the GIL lets one thread run Python code at a time, so to_thread helps with
                blocking I/O but not with computation. Java has no GIL. CPU-bound work done inside a task
                still holds the loop's only thread, so every other task waits; handed to toThread, the same
                work runs on worker threads, truly in parallel on all cores, while the loop keeps serving
                its tasks. Below: the same work on the loop, then spread over the cores with toThread.""";
    }

    @Override
    public String takeaway() {
        return "the loop is for waiting; computation goes to toThread, and Java runs it on every core at once.";
    }

    record Result(int cores, double onLoopSeconds, double offloadedSeconds, double lagOnLoop, double lagOffloaded) {}

    static long work(int units) {
        long x = 88172645463325252L; // xorshift: data-dependent steps the JIT cannot fold away
        long sum = 0;
        for (int u = 0; u < units; u++) {
            for (int i = 0; i < 2_000_000; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                sum += (x & 1) == 0 ? x >>> 3 : -x;
            }
        }
        return sum;
    }

    private static double[] measure(int parts, int unitsEach, boolean offload) {
        LagMeter lag = new LagMeter(0.01);
        long start = System.nanoTime();
        List<Task<Long>> tasks = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            tasks.add(createTask(() -> offload ? toThread(() -> work(unitsEach)) : work(unitsEach)));
        }
        gather(tasks);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {seconds, lag.stop()};
    }

    @Override
    public Object run(Out out) {
        int cores = Runtime.getRuntime().availableProcessors();
        int parts = Math.max(2, cores);
        int units = 140 / parts; // about 1.5 s of arithmetic in all (on this machine), split over the parts
        measure(parts, 4, true); // warm the JIT so both runs compare compiled code
        double[] onLoop = measure(parts, units, false);
        out.result(String.format("on the loop: %.2f s, and the loop was %.0f ms late (every task waited)", onLoop[0], onLoop[1] * 1000));
        double[] offloaded = measure(parts, units, true);
        out.result(String.format("with toThread on %d core(s): %.2f s (speed-up %.1fx), loop at most %.0f ms late",
                cores, offloaded[0], onLoop[0] / offloaded[0], offloaded[1] * 1000));
        return new Result(cores, onLoop[0], offloaded[0], onLoop[1], offloaded[1]);
    }
}
