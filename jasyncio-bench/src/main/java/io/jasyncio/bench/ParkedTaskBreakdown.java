package io.jasyncio.bench;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;

import io.jasyncio.Asyncio;
import io.jasyncio.Event;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the bytes of a parked task go (W4 of docs/benchmarks/WORKLOADS.md): parks {@code n} tasks
 * in {@code sleep(3600)} (or, with {@code event}, in {@code Event.await()}), and prints the growth of
 * the live-object class histogram per task, largest class first. Earlier rounds run the same code
 * first so the frames between the body and the yield are compiled, as in a long-running program
 * (an interpreted frame is captured larger).
 * <pre>
 * taskset -c 0 java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.ParkedTaskBreakdown [sleep|event] [n] [warm-up rounds]
 * </pre>
 */
public final class ParkedTaskBreakdown {
    private ParkedTaskBreakdown() {}

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: ParkedTaskBreakdown [sleep|event] [tasks, default 100000] [warm-up rounds, default 3]");
            System.out.println("       prints, per parked task, the bytes of each class that grew (live heap after a full GC)");
            return;
        }
        String how = args.length > 0 ? args[0] : "sleep";
        if (!how.equals("sleep") && !how.equals("event")) {
            System.err.println("ParkedTaskBreakdown: unknown way to park '" + how + "': use sleep or event");
            System.exit(2);
        }
        int n = args.length > 1 ? Integer.parseInt(args[1]) : PeerWorkloads.W4_N;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        LoopOptions opts = LoopOptions.defaults().withHandleSigint(false);
        for (int i = 0; i < warmup; i++) {
            Asyncio.run(() -> park(how, n, false), opts);
        }
        System.out.print(Asyncio.run(() -> park(how, n, true), opts));
    }

    private static String park(String how, int n, boolean measure) {
        Event never = new Event();
        ClassHistogram before = measure ? ClassHistogram.take() : null;
        List<Task<Void>> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(() -> {
                if (how.equals("sleep")) {
                    sleep(3600);
                } else {
                    never.await();
                }
                return null;
            }));
        }
        sleep(0.05); // every task starts and parks
        String report = measure ? "engine " + Asyncio.getRunningLoop().engine() + ", " + n + " tasks parked in " + how
                + ", bytes per task:\n" + ClassHistogram.take().perUnitChangeSince(before, n, 0.5) : "";
        tasks.forEach(Task::cancel);
        Asyncio.gatherSettled(tasks);
        return report;
    }
}
