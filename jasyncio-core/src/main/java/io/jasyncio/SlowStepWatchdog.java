package io.jasyncio;

import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's sampler: a daemon thread that, while one loop step runs longer than the slow
 * callback duration, captures the stack of the thread doing the work, so the warning can show the
 * line that blocked the loop (asyncio only names the callback).
 *
 * <p>Sampling mode ({@link EventLoop#setBlockingSampleInterval}): it also samples every step at that
 * interval and reports, once per call site, a blocking call the step is inside ({@link BlockingCalls}),
 * even one far too short to make a slow step.
 *
 * <p>Threading: the loop thread publishes the step ({@link #stepStarted}) and collects the sample
 * ({@link #stepEnded}); the sampler reads and writes only the volatile fields. A sample taken
 * after the step ended is discarded by the sequence check.
 */
final class SlowStepWatchdog implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private final EventLoop loop;
    private final Thread sampler;
    private volatile boolean stopped;
    private volatile long stepSeq;
    private volatile long stepStart;
    private volatile Object stepItem;
    private volatile StackTraceElement[] sample;
    private volatile long sampleSeq = -1;
    /** Sampling mode: blocking calls already reported (sampler thread only). */
    private final java.util.Set<String> blockingReported = new java.util.HashSet<>();

    private SlowStepWatchdog(EventLoop loop) {
        this.loop = loop;
        this.sampler = Thread.ofPlatform().daemon().name("jasyncio-slow-step-watchdog").unstarted(this);
    }

    static SlowStepWatchdog start(EventLoop loop) {
        SlowStepWatchdog w = new SlowStepWatchdog(loop);
        w.sampler.start();
        return w;
    }

    void stepStarted(Object item, long startNanos) {
        stepItem = item;
        stepStart = startNanos;
        stepSeq++;
    }

    /** Ends the step and returns the stack sampled while it blocked, or null. */
    StackTraceElement[] stepEnded() {
        long seq = stepSeq;
        stepItem = null;
        StackTraceElement[] s = sampleSeq == seq ? sample : null;
        sample = null;
        return s;
    }

    /** The loop's slow-step threshold or sampling interval changed: re-read them instead of finishing the old pause. */
    void settingsChanged() {
        LockSupport.unpark(sampler);
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(sampler);
    }

    @Override
    public void run() {
        while (!stopped) {
            long threshold = Math.max(1_000_000, loop.slowCallbackNanos());
            long sampling = loop.blockingSampleNanos();
            long pause = Math.max(1_000_000, threshold / 2);
            LockSupport.parkNanos(this, sampling > 0 ? Math.max(100_000, Math.min(pause, sampling)) : pause);
            Object item = stepItem;
            long seq = stepSeq;
            if (item == null) {
                continue;
            }
            if (sampling > 0) {
                sampleForBlockingCall(item);
            }
            if (sampleSeq == seq || System.nanoTime() - stepStart < threshold) {
                continue;
            }
            Thread worker = workerOf(item);
            if (worker == null) {
                continue;
            }
            StackTraceElement[] stack = worker.getStackTrace();
            if (stepSeq == seq && stepItem != null) {
                sample = stack;
                sampleSeq = seq;
            }
        }
    }

    /** Sampling mode: reports (once per call site) a blocking call the step is inside right now. */
    private void sampleForBlockingCall(Object item) {
        Thread worker = workerOf(item);
        if (worker == null) {
            return;
        }
        String blocked = BlockingCalls.describe(worker.getStackTrace());
        if (blocked != null && stepItem == item && blockingReported.add(blocked)) {
            String who = item instanceof Task<?> t ? "task " + t.getName() : "a callback";
            LOG.log(System.Logger.Level.WARNING, "blocking call inside " + who + ": " + blocked + "; while it blocks, no other task"
                    + " of the loop runs: use the asynchronous API (Asyncio.sleep, streams...) or hand the call to Asyncio.toThread(...)");
        }
    }

    /** The thread that executes the step: the task's own thread with the virtual-thread engine. */
    private Thread workerOf(Object item) {
        if (item instanceof Task<?> t) {
            Thread own = t.runningThread();
            if (own != null) {
                return own;
            }
        }
        return loop.loopThread();
    }
}
