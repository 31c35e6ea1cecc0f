package io.jasyncio.test;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.ExceptionContext;
import io.jasyncio.LoopOptions;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;

/**
 * The one strict fixture (uvloop's {@code _testbase}, kotlinx.coroutines' {@code TestBase}): runs a
 * body as the main task of a fresh loop and fails the test on anything a production program would
 * only have logged or leaked:
 * <ul>
 *   <li>an error that reached the loop's exception handler (a callback that threw, a failure nobody
 *       read, a task destroyed while pending);</li>
 *   <li>a task the body started and left pending when it returned (it is cancelled by the runner,
 *       and the test fails naming it);</li>
 *   <li>a jasyncio thread (workers, pipe pumps, pollers) still alive shortly after the loop closed;</li>
 *   <li>a child process still alive after the loop closed.</li>
 * </ul>
 * {@link AsyncioExtension} runs {@code @AsyncioTest} methods through it; jasyncio's own test suites
 * call it directly. Real-time tests scale their generous bounds with {@link #delay(double)}.
 *
 * <p>Threading: call from a thread that runs no loop (a test method).
 */
public final class StrictLoop {
    /** Multiplies every {@link #delay} ({@code -Djasyncio.test.delayFactor}, default 1): slow machines raise it. */
    private static final double DELAY_FACTOR = Double.parseDouble(System.getProperty("jasyncio.test.delayFactor", "1"));
    private static final long THREAD_GRACE_MILLIS = 5_000;

    private StrictLoop() {}

    /** Options with the autojump virtual clock: timing tests run instantly and deterministically. */
    public static LoopOptions virtualTime() {
        return LoopOptions.defaults().withVirtualTime(true).withHandleSigint(false);
    }

    /** Options in real time, for tests that talk to sockets, processes or other threads. */
    public static LoopOptions realTime() {
        return LoopOptions.defaults().withHandleSigint(false);
    }

    /** A real-time bound of {@code seconds}, scaled by {@code -Djasyncio.test.delayFactor} (JSR166TestCase's habit). */
    public static double delay(double seconds) {
        return seconds * DELAY_FACTOR;
    }

    /** Runs {@code body} strictly (see the class comment) and returns its result. */
    public static <T> T run(LoopOptions options, Coroutine<T> body) {
        return run(options, true, body);
    }

    /**
     * {@link #run(LoopOptions, Coroutine)}, optionally tolerating tasks left pending (they are still
     * cancelled): for tests whose server keeps connection handlers running when the body returns.
     */
    public static <T> T run(LoopOptions options, boolean failOnPending, Coroutine<T> body) {
        return run(options, failOnPending, Duration.ZERO, body);
    }

    /**
     * {@link #run(LoopOptions, boolean, Coroutine)} with a time limit in real time: a body still running after
     * {@code timeout} is cancelled and the test fails with its loop's task tree (every task, what it awaits,
     * its user line and stack, any deadlock). Zero or negative: no limit.
     */
    public static <T> T run(LoopOptions options, boolean failOnPending, Duration timeout, Coroutine<T> body) {
        Set<Long> childrenBefore = liveChildren();
        Set<Thread> threadsBefore = jasyncioThreads();
        List<ExceptionContext> reported = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        T result;
        HangWatch watch = null;
        try (Runner runner = new Runner(options)) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            HangWatch w = watch = HangWatch.start(runner.getLoop(), timeout);
            result = runner.run(() -> {
                w.watchBody(Asyncio.currentTask());
                T value = body.call();
                settle(options);
                for (Task<?> t : Asyncio.allTasks()) {
                    if (t != Asyncio.currentTask()) {
                        pending.add(t.toString());
                    }
                }
                return value;
            });
        } catch (Throwable e) { // precise rethrow: whatever the body threw, checked ones too (they arrive undeclared)
            String hung = watch == null ? null : watch.timedOutReport();
            if (hung != null) {
                throw new AssertionFailedError(hung, e);
            }
            throw e;
        } finally {
            closeQuietly(watch);
        }
        String hung = watch.timedOutReport();
        if (hung != null) {
            throw new AssertionFailedError(hung + "(the body swallowed the cancellation and returned)");
        }
        failOnReports(reported);
        if (failOnPending && !pending.isEmpty()) {
            throw new AssertionFailedError("tasks still pending when the test body returned (they were cancelled): " + pending);
        }
        checkNoLeaks(childrenBefore, threadsBefore);
        return result;
    }

    private static void closeQuietly(HangWatch watch) {
        if (watch == null) {
            return;
        }
        try {
            watch.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Gives tasks that are about to finish the chance to (a handler that is just reading the EOF of
     * a connection the body closed): a few loop turns, and in real time up to a scaled second;
     * never virtual time, which would fire the timers of tasks that are really stuck.
     */
    private static void settle(LoopOptions options) {
        long until = System.nanoTime() + (long) (delay(1.0) * 1e9);
        for (int turn = 0; othersPending(); turn++) {
            if (turn < 20) {
                Asyncio.yieldNow();
            } else if (!options.virtualTime() && System.nanoTime() < until) {
                Asyncio.sleep(0.005);
            } else {
                return;
            }
        }
    }

    private static boolean othersPending() {
        Task<?> me = Asyncio.currentTask();
        return Asyncio.allTasks().stream().anyMatch(t -> t != me);
    }

    /** Runs {@code body} and returns what the exception handler received, for tests that expect reports. */
    public static List<ExceptionContext> runCollecting(LoopOptions options, Coroutine<?> body) {
        List<ExceptionContext> reported = new ArrayList<>();
        try (Runner runner = new Runner(options)) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            runner.run(body);
        }
        return reported;
    }

    /** Fails with every error the loop reported, the first as the cause. */
    static void failOnReports(List<ExceptionContext> reported) {
        if (reported.isEmpty()) {
            return;
        }
        ExceptionContext first = reported.get(0);
        AssertionFailedError e = new AssertionFailedError("the event loop reported " + reported.size()
                + " error(s) nobody handled; first: " + first.message()
                + (first.future() != null ? " (" + first.future() + ")" : ""), first.exception());
        for (int i = 1; i < reported.size(); i++) {
            if (reported.get(i).exception() != null) {
                e.addSuppressed(reported.get(i).exception());
            }
        }
        throw e;
    }

    /** Fails if a child process or a jasyncio thread started during the test outlives its loop. */
    static void checkNoLeaks(Set<Long> childrenBefore, Set<Thread> threadsBefore) {
        List<String> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> !childrenBefore.contains(p.pid()))
                .map(p -> p.pid() + " " + p.info().command().orElse("?")).collect(Collectors.toList());
        if (!children.isEmpty()) {
            throw new AssertionFailedError("child processes still running after the loop closed: " + children);
        }
        long deadline = System.nanoTime() + THREAD_GRACE_MILLIS * 1_000_000;
        List<Thread> leaked;
        do {
            leaked = jasyncioThreads().stream().filter(t -> !threadsBefore.contains(t)).toList();
            if (leaked.isEmpty()) {
                return;
            }
            try {
                leaked.get(0).join(50); // the default executor's idle workers exit right after shutdown
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionFailedError("jasyncio threads still alive " + THREAD_GRACE_MILLIS + " ms after the loop closed: "
                + leaked.stream().map(Thread::getName).toList());
    }

    static Set<Long> liveChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    static Set<Thread> jasyncioThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jasyncio-")).collect(Collectors.toSet());
    }

    /** Open file descriptors of this process (Linux), or -1 where that cannot be read. */
    public static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
