package io.jasyncio.bench;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.yieldNow;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where W3y's time per task goes, in four variants measured in turns in one JVM (so the machine's
 * drift hits all four alike; compare the differences, not the figures of separate runs):
 * <ol>
 *   <li>{@code no-yield}: 100,000 tasks that return at once, the last one setting an Event the
 *       main task waits on: creating, stepping and finishing a task (the JDK's part is
 *       {@code JdkFloors w3});</li>
 *   <li>{@code yield}: the same with one {@code yieldNow()} first: plus the suspension and the
 *       second step (the JDK's part is {@code JdkFloors w3y});</li>
 *   <li>{@code done-callbacks}: the tasks of 2 with a done callback each instead of the Event: plus
 *       the loop turn asyncio gives done callbacks ({@code call_soon});</li>
 *   <li>{@code gather}: W3y itself: plus gather's bookkeeping.</li>
 * </ol>
 *
 * <pre>
 * taskset -c 0 java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.W3yBreakdown [warm-up rounds] [rounds]
 * </pre>
 */
public final class W3yBreakdown {
    private static final int N = PeerWorkloads.W3_N;
    private static final List<String> VARIANTS = List.of("no-yield", "yield", "done-callbacks", "gather");

    /** Tasks finished in the current round (loop thread only). */
    private static int finished;

    private W3yBreakdown() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--help")) {
            System.out.println("usage: W3yBreakdown [warm-up rounds, default 5] [rounds, default 10]");
            System.out.println("W3y's time per task in four variants, measured in turns: " + String.join(", ", VARIANTS));
            return;
        }
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (warmup < 0 || rounds < 1) {
            System.err.println("W3yBreakdown: warm-up rounds must be >= 0 and rounds >= 1, not " + warmup + " and " + rounds);
            return;
        }
        LoopOptions options = LoopOptions.defaults().withHandleSigint(false);
        double[][] figures = new double[VARIANTS.size()][rounds];
        for (int r = -warmup; r < rounds; r++) {
            for (int v = 0; v < VARIANTS.size(); v++) {
                String variant = VARIANTS.get(v);
                System.gc();
                double ns = Asyncio.run(() -> round(variant), options);
                if (r >= 0) {
                    figures[v][r] = ns;
                }
            }
        }
        for (int v = 0; v < VARIANTS.size(); v++) {
            System.out.printf(Locale.ROOT, "{\"workload\": \"w3y-breakdown\", \"variant\": \"%s\", \"median\": %.2f, \"unit\": \"ns/task\", \"rounds\": %d}%n",
                    VARIANTS.get(v), Rounds.median(figures[v]), rounds);
        }
    }

    private static double round(String variant) {
        long t0 = System.nanoTime();
        boolean yields = !variant.equals("no-yield");
        List<Task<Integer>> tasks = new ArrayList<>(N);
        Event allFinished = new Event();
        finished = 0;
        for (int i = 0; i < N; i++) {
            int n = i;
            Coroutine<Integer> body = switch (variant) {
                case "no-yield", "yield" -> () -> {
                    if (yields) {
                        yieldNow();
                    }
                    if (++finished == N) {
                        allFinished.set();
                    }
                    return n;
                };
                default -> () -> {
                    yieldNow();
                    return n;
                };
            };
            tasks.add(createTask(body));
        }
        switch (variant) {
            case "gather" -> gather(tasks);
            case "done-callbacks" -> {
                for (Task<Integer> t : tasks) {
                    t.addDoneCallback(f -> {
                        if (++finished == N) {
                            allFinished.set();
                        }
                    });
                }
                allFinished.await();
            }
            default -> allFinished.await();
        }
        return (System.nanoTime() - t0) / (double) N;
    }
}
