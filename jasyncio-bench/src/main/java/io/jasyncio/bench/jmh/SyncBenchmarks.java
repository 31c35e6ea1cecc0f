package io.jasyncio.bench.jmh;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.yieldNow;

import io.jasyncio.Asyncio;
import io.jasyncio.Held;
import io.jasyncio.Lock;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lock costs, per operation. Each invocation runs a whole batch on a fresh loop, so the
 * figure includes the loop's scheduling, as users pay it.
 * <pre>
 * java -jar jasyncio-bench/target/jasyncio-bench.jar  (PeerWorkloads)   # W1-W5
 * java -cp jasyncio-bench/target/jasyncio-bench.jar org.openjdk.jmh.Main SyncBenchmarks
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class SyncBenchmarks {
    static final int OPS = 100_000;
    static final LoopOptions OPTS = LoopOptions.defaults().withHandleSigint(false);

    @Param({"continuation", "virtual"})
    public String engine;

    private LoopOptions opts() {
        return OPTS.withEngine(engine);
    }

    /** acquire + release with nobody else around. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int lockUncontended() {
        return Asyncio.run(() -> {
            Lock lock = new Lock();
            int n = 0;
            for (int i = 0; i < OPS; i++) {
                try (Held h = lock.acquire()) {
                    n++;
                }
            }
            return n;
        }, opts());
    }

    /** Two tasks take turns on one lock, yielding while holding it: every acquire waits. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public int lockContended() {
        return Asyncio.run(() -> {
            Lock lock = new Lock();
            int[] n = {0};
            List<Task<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                tasks.add(createTask(() -> {
                    for (int i = 0; i < OPS / 2; i++) {
                        try (Held h = lock.acquire()) {
                            n[0]++;
                            yieldNow();
                        }
                    }
                    return null;
                }));
            }
            Asyncio.gather(tasks);
            return n[0];
        }, opts());
    }
}
