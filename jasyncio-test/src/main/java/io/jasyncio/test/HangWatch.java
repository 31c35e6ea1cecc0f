package io.jasyncio.test;

import io.jasyncio.CallGraph;
import io.jasyncio.DeadlockDetector;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TaskDump;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time limit of one strict run ({@link AsyncioTest#timeout()}): when the test body has not finished in
 * time, the task tree of its loop is captured (every task, what it awaits, the user line and stack it is
 * suspended at, any deadlock) and the body is cancelled, so the test fails with the tree instead of hanging.
 *
 * <p>Hang forensics first, then the stop: the tree is taken on the loop's thread, in a callback posted with
 * {@code callSoonThreadsafe}. A loop that does not run that callback within {@value #ANSWER_SECONDS} s is
 * blocked inside a step: the report is then the stack of the thread running it, and that thread is
 * interrupted (a blocking call such as {@code Thread.sleep} ends with an exception).
 *
 * <p>Threading: one daemon platform thread per watched run, stopped by {@link #close()} before the strict
 * teardown looks for leaked threads.
 */
final class HangWatch implements AutoCloseable {
    private static final long ANSWER_SECONDS = 5;

    private final EventLoop loop;
    private final Duration timeout;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread watcher;
    private volatile Task<?> body;
    /** The thread that runs the body's steps (the loop's thread with the continuation engine). */
    private volatile Thread bodyThread;
    /** Set once: by the loop's answer, or by the watcher when the loop did not answer in time. */
    private final AtomicReference<String> report = new AtomicReference<>();

    private HangWatch(EventLoop loop, Duration timeout) {
        this.loop = loop;
        this.timeout = timeout;
        this.watcher = Thread.ofPlatform().daemon().name("asyncio-test-timeout").unstarted(this::watch);
    }

    /** Watches {@code loop}; a zero or negative timeout watches nothing. */
    static HangWatch start(EventLoop loop, Duration timeout) {
        HangWatch w = new HangWatch(loop, timeout);
        if (timeout.isPositive()) {
            w.watcher.start();
        }
        return w;
    }

    /** The task running the test body: the one cancelled at the time limit. */
    void watchBody(Task<?> task) {
        body = task;
        bodyThread = Thread.currentThread();
    }

    /** Null, or what the loop looked like when the time limit passed. */
    String timedOutReport() {
        return report.get();
    }

    private void watch() {
        try {
            if (finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
            CountDownLatch answered = new CountDownLatch(1);
            try {
                loop.callSoonThreadsafe(() -> {
                    report.compareAndSet(null, header() + "; its tasks then (each under the task it awaits):\n" + tree());
                    answered.countDown();
                    Task<?> b = body;
                    if (b != null) {
                        b.cancel("the test timed out after " + seconds() + " s");
                    }
                });
            } catch (IllegalStateException closed) {
                return; // the run ended just now
            }
            if (!answered.await(ANSWER_SECONDS, TimeUnit.SECONDS) && finished.getCount() > 0) {
                Task<?> running = loop.currentTask(); // racy, diagnostics only
                if (report.compareAndSet(null, header() + "; the loop is blocked inside a step"
                        + (running != null ? " of task " + running.getName() : "")
                        + " and did not answer; its thread (interrupted now) was at:\n" + loopThreadStack())) {
                    interruptBlockedThread();
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private String header() {
        return "the test timed out after " + seconds() + " s (@AsyncioTest(timeout = ...) sets the limit)";
    }

    private String seconds() {
        return String.valueOf(timeout.toMillis() / 1000.0);
    }

    /** The task tree, the deadlocks and every task's user stack: on the loop thread. */
    private String tree() {
        StringBuilder sb = new StringBuilder(TaskDump.of(loop));
        String deadlocks = DeadlockDetector.describe(loop);
        if (!deadlocks.isEmpty()) {
            sb.append(deadlocks);
        }
        sb.append("stacks (user frames):\n");
        for (Task<?> t : loop.allTasks()) {
            sb.append("  ").append(t.getName()).append(":\n");
            for (StackTraceElement e : CallGraph.capture(t).callStack()) {
                sb.append("    at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private String loopThreadStack() {
        Thread t = threadRunningTheStep();
        if (t == null) {
            return "  (unknown)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("    at ").append(e).append('\n');
        }
        return sb.toString();
    }

    /**
     * The body's own thread when it is inside a step (always, with the continuation engine, where every
     * task runs on the loop's thread); else any thread inside a task step (virtual-thread engine).
     */
    private Thread threadRunningTheStep() {
        Thread own = bodyThread;
        if (own != null && !isParkedBetweenSteps(own)) {
            return own;
        }
        Thread[] found = new Thread[1];
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement e : stack) {
                if (e.getClassName().equals("io.jasyncio.Task") && e.getMethodName().equals("body")) {
                    found[0] = thread;
                    return;
                }
            }
        });
        return found[0];
    }

    private static boolean isParkedBetweenSteps(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.jasyncio.internal.") && e.getMethodName().equals("suspend")) {
                return true;
            }
        }
        return false;
    }

    private void interruptBlockedThread() {
        Thread t = threadRunningTheStep();
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        finished.countDown();
        if (watcher.isAlive()) {
            watcher.join();
        }
    }
}
