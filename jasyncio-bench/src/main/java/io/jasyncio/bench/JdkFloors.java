package io.jasyncio.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The JDK's own cost under W2, W3, W3y and W4 and under the virtual-thread engine's W3 and W3y, with
 * nothing of jasyncio: what the mechanism jasyncio is built on costs by itself, so that a figure of
 * jasyncio's can be split into the JDK's part and ours, and a goal below the JDK's part is known to
 * be out of reach for a stackful design (issue 17). Each workload does what the jasyncio workload of
 * the same name needs at the least:
 * <ul>
 *   <li>{@code w2}: two {@code jdk.internal.vm.Continuation}s pass an int back and forth, an
 *       {@code ArrayDeque} as the scheduler (ns per hop);</li>
 *   <li>{@code w3}: 100,000 continuations made and each run to its end (ns per task);</li>
 *   <li>{@code w3y}: the same, each run until it yields once, then run to its end (ns per task);
 *       {@code w3y} less {@code w3} is what one suspension and resumption costs the JDK;</li>
 *   <li>{@code w4}: 100,000 continuations parked in a yield, heap per continuation after a GC
 *       (bytes per task: the {@code Continuation} and its stack chunk);</li>
 *   <li>{@code w3-virtual}: a virtual thread as the loop starts one virtual thread per task and
 *       waits until it has ended, by park/unpark (ns per task);</li>
 *   <li>{@code w3y-virtual}: the same, each task thread handing the loop the turn once before it is
 *       resumed and ends (ns per task).</li>
 * </ul>
 * Prints one JSON line per measured round and one with the median, as {@link PeerWorkloads} does.
 *
 * <pre>
 * taskset -c 0 java -Xms2g -Xmx2g --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED \
 *     -cp jasyncio-bench.jar io.jasyncio.bench.JdkFloors w2 [warm-up rounds] [rounds]
 * </pre>
 *
 * <p>The continuations are reached through method handles, as {@code ContinuationEngine} reaches
 * them (the package is not exported at compile time); the JIT inlines a constant handle, so the
 * floor is the mechanism as jasyncio calls it.
 *
 * <p>Threading: the continuation workloads run on the calling thread, the virtual ones on virtual
 * threads the workload starts and joins.
 */
public final class JdkFloors {
    private static final int W2_HOPS = PeerWorkloads.W2_N, TASKS = PeerWorkloads.W3_N;

    /** The value passed between the two continuations of w2, or summed by w3y's tasks. */
    private static long box;

    private JdkFloors() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("usage: JdkFloors WORKLOAD [warm-up rounds, default 5] [rounds, default 10]"
                    + "   (WORKLOAD = w2|w3|w3y|w4|w3-virtual|w3y-virtual)");
            System.out.println("The JDK's own cost under the jasyncio workload of the same name, with nothing of jasyncio.");
            return;
        }
        String workload = args[0];
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (warmup < 0 || rounds < 1) {
            System.err.println("JdkFloors: warm-up rounds must be >= 0 and rounds >= 1, not " + warmup + " and " + rounds);
            return;
        }
        if (!List.of("w2", "w3", "w3y", "w4", "w3-virtual", "w3y-virtual").contains(workload)) {
            System.err.println("JdkFloors: unknown workload '" + workload + "': use w2|w3|w3y|w4|w3-virtual|w3y-virtual");
            return;
        }
        if (!workload.endsWith("-virtual")) {
            try {
                Objects.requireNonNull(Cont.SCOPE);
            } catch (ExceptionInInitializerError e) {
                System.err.println(e.getCause().getMessage());
                return;
            }
        }
        median(workload, warmup, rounds, true);
    }

    /**
     * The floor under jasyncio's {@code workload} on {@code engine} ("continuation" or "virtual"),
     * or null where none is measured (W1 on the continuation engine leads Kotlin anyway).
     */
    static String floorOf(String workload, String engine) {
        return switch (engine + " " + workload) {
            case "continuation w2", "continuation w3", "continuation w3y", "continuation w4" -> workload;
            case "virtual w3", "virtual w3y" -> workload + "-virtual";
            default -> null;
        };
    }

    /** Runs {@code workload}'s rounds ({@link Rounds}) and returns their median; with print, JSON lines too. */
    static double median(String workload, int warmup, int rounds, boolean print) throws Exception {
        String unit = workload.equals("w2") ? "ns/hop" : workload.equals("w4") ? "bytes/task" : "ns/task";
        return Rounds.median("jdk-floor", workload, warmup, rounds, print, () -> new PeerWorkloads.Figure(round(workload), unit));
    }

    private static double round(String workload) throws Exception {
        return switch (workload) {
            case "w2" -> pingPong();
            case "w3" -> spawnAndRun(false);
            case "w3y" -> spawnAndRun(true);
            case "w4" -> parkedBytes();
            case "w3-virtual" -> onVirtualLoop(() -> virtualTasks(false));
            default -> onVirtualLoop(() -> virtualTasks(true));
        };
    }

    // ---------------------------------------------------------------- continuations

    /** The continuation handles, made on first use: the virtual-thread workloads need no export. */
    private static final class Cont {
        static final Object SCOPE;
        static final MethodHandle NEW, RUN, YIELD, IS_DONE;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Class<?> cont = Class.forName("jdk.internal.vm.Continuation");
                Class<?> scope = Class.forName("jdk.internal.vm.ContinuationScope");
                SCOPE = scope.getConstructor(String.class).newInstance("jdk-floor");
                NEW = lookup.findConstructor(cont, MethodType.methodType(void.class, scope, Runnable.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
                RUN = lookup.findVirtual(cont, "run", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                IS_DONE = lookup.findVirtual(cont, "isDone", MethodType.methodType(boolean.class))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                YIELD = lookup.findStatic(cont, "yield", MethodType.methodType(boolean.class, scope))
                        .asType(MethodType.methodType(boolean.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("JdkFloors " + "needs --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"
                        + " for the continuation workloads (java -jar jasyncio-bench.jar gives it through the manifest)", e);
            }
        }
    }


    private static Object newContinuation(Runnable body) {
        try {
            return (Object) Cont.NEW.invokeExact(Cont.SCOPE, body);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void run(Object continuation) {
        try {
            Cont.RUN.invokeExact(continuation);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static boolean isDone(Object continuation) {
        try {
            return (boolean) Cont.IS_DONE.invokeExact(continuation);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void yieldNow() {
        try {
            boolean unused = (boolean) Cont.YIELD.invokeExact(Cont.SCOPE);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void hopper() {
        for (int i = 0; i < W2_HOPS; i++) {
            box++;
            yieldNow();
        }
    }

    /** Runs continuations from {@code ready} until all have ended, re-queuing each that yielded. */
    private static void schedule(ArrayDeque<Object> ready) {
        Object c;
        while ((c = ready.poll()) != null) {
            run(c);
            if (!isDone(c)) {
                ready.add(c);
            }
        }
    }

    private static double pingPong() {
        long t0 = System.nanoTime();
        ArrayDeque<Object> ready = new ArrayDeque<>();
        ready.add(newContinuation(JdkFloors::hopper));
        ready.add(newContinuation(JdkFloors::hopper));
        schedule(ready);
        return (System.nanoTime() - t0) / (2.0 * W2_HOPS);
    }

    private static void yieldOnceThenAdd(int n) {
        yieldNow();
        box += n;
    }

    /** w3 and w3y: TASKS continuations made, queued and run to their ends, each yielding once first with {@code yieldOnce}. */
    private static double spawnAndRun(boolean yieldOnce) {
        long t0 = System.nanoTime();
        ArrayDeque<Object> ready = new ArrayDeque<>(TASKS);
        Object[] all = new Object[TASKS]; // held to the end, as W3y's list of tasks holds them
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            all[i] = newContinuation(yieldOnce ? () -> yieldOnceThenAdd(n) : () -> box += n);
            ready.add(all[i]);
        }
        schedule(ready);
        Arrays.fill(all, null);
        return (System.nanoTime() - t0) / (double) TASKS;
    }

    private static double parkedBytes() throws InterruptedException {
        long before = PeerWorkloads.usedHeap();
        Object[] parked = new Object[TASKS];
        for (int i = 0; i < TASKS; i++) {
            int n = i;
            parked[i] = newContinuation(() -> yieldOnceThenAdd(n));
            run(parked[i]); // now parked in its yield
        }
        long after = PeerWorkloads.usedHeap();
        double perTask = (after - before - 16.0 - 4.0 * TASKS) / TASKS; // not the array holding them
        for (Object c : parked) {
            run(c);
        }
        return perTask;
    }

    // ---------------------------------------------------------------- virtual threads

    /** A measurement that runs on a virtual thread, as the virtual engine's loop does. */
    private interface VirtualRound {
        double run();
    }

    private static double onVirtualLoop(VirtualRound round) throws InterruptedException {
        double[] result = new double[1];
        Thread loop = Thread.ofVirtual().start(() -> result[0] = round.run());
        loop.join();
        return result[0];
    }

    /** The virtual engine's baton at its barest: who holds the turn, the loop or a task thread. */
    private static volatile boolean loopsTurn;

    /** Gives the turn to the loop and waits until this thread is given it back. */
    private static final class TaskThread implements Runnable {
        private final Thread loop;
        private final boolean yieldOnce;
        private volatile boolean resumed;
        Thread thread;

        TaskThread(Thread loop, boolean yieldOnce) {
            this.loop = loop;
            this.yieldOnce = yieldOnce;
        }

        @Override
        public void run() {
            if (yieldOnce) {
                loopsTurn = true;
                LockSupport.unpark(loop);
                while (!resumed) {
                    LockSupport.park(this);
                }
            }
            loopsTurn = true; // ended
            LockSupport.unpark(loop);
        }

        void resume() {
            loopsTurn = false;
            resumed = true;
            LockSupport.unpark(thread);
            awaitTurn();
        }
    }

    private static void awaitTurn() {
        while (!loopsTurn) {
            LockSupport.park();
        }
    }

    private static double virtualTasks(boolean yieldOnce) {
        long t0 = System.nanoTime();
        Thread me = Thread.currentThread();
        TaskThread[] started = new TaskThread[TASKS];
        for (int i = 0; i < TASKS; i++) {
            TaskThread t = started[i] = new TaskThread(me, yieldOnce);
            loopsTurn = false;
            t.thread = Thread.ofVirtual().unstarted(t);
            t.thread.start();
            awaitTurn();
        }
        if (yieldOnce) {
            for (TaskThread t : started) {
                t.resume();
            }
        }
        return (System.nanoTime() - t0) / (double) TASKS;
    }
}
