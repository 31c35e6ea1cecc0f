package io.jasyncio.bench.jmh;

import static io.jasyncio.Asyncio.createTask;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.Queue;
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

/** Queue throughput, per item moved, with 1:1 and 4:4 producers and consumers. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
public class QueueBenchmarks {
    static final int OPS = 100_000;

    @Param({"continuation", "virtual"})
    public String engine;

    @Param({"1", "4"})
    public int pairs;

    /** {@code pairs} producers and as many consumers through one Queue(16); per item moved. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public long queueThroughput() {
        return Asyncio.run(() -> {
            Queue<Integer> q = new Queue<>(16);
            List<Task<Long>> tasks = new ArrayList<>();
            int each = OPS / pairs;
            for (int p = 0; p < pairs; p++) {
                tasks.add(createTask(() -> {
                    for (int i = 0; i < each; i++) {
                        q.put(i);
                    }
                    return 0L;
                }));
                tasks.add(createTask(() -> {
                    long sum = 0;
                    for (int i = 0; i < each; i++) {
                        sum += q.get();
                    }
                    return sum;
                }));
            }
            long total = 0;
            for (long v : Asyncio.gather(tasks)) {
                total += v;
            }
            return total;
        }, LoopOptions.defaults().withHandleSigint(false).withEngine(engine));
    }
}
