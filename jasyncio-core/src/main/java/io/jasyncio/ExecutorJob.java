package io.jasyncio;

import io.jasyncio.internal.LabelledFuture;
import io.jasyncio.internal.LoopPost;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * One call of {@link EventLoop#runInExecutor}: runs on a worker thread, then hands its outcome
 * back to the loop with {@code callSoonThreadsafe}.
 *
 * <p>Threading: {@link #run()} runs on the worker; everything else on the loop thread. The worker
 * field is guarded by {@code this} so that a cancel never interrupts a thread that has already
 * moved on to other work. The loop counts outstanding jobs (its virtual clock must not jump while
 * one runs); each job gives its count back exactly once, on the loop thread, either when it is
 * cancelled or when its outcome arrives.
 */
final class ExecutorJob<T> implements Runnable {
    private final EventLoop loop;
    private final Callable<T> work;
    final Future<T> result;
    private Thread worker;
    private boolean finished;
    private boolean accounted;

    ExecutorJob(EventLoop loop, Callable<T> work) {
        this.loop = loop;
        this.work = work;
        this.result = new LabelledFuture<>(loop, "thread-pool job", this) {
            @Override
            public boolean cancel(String message) {
                if (!super.cancel(message)) {
                    return false;
                }
                interruptWorker();
                giveBackCount();
                return true;
            }
        };
    }

    @Override
    public void run() {
        synchronized (this) {
            if (result.state == Future.CANCELLED) {
                return;
            }
            worker = Thread.currentThread();
        }
        T value = null;
        Throwable failure = null;
        try {
            value = work.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (this) {
                worker = null;
                finished = true;
                Thread.interrupted(); // an interrupt aimed at this job must not leak into the next one
            }
        }
        T v = value;
        Throwable f = failure;
        LoopPost.postIfOpen(loop, () -> complete(v, f)); // a closed loop has nobody to receive it
    }

    private void complete(T value, Throwable failure) {
        giveBackCount();
        if (result.done()) {
            return;
        }
        if (failure != null) {
            result.setException(failure);
        } else {
            result.setResult(value);
        }
    }

    private synchronized void interruptWorker() {
        if (worker != null && !finished) {
            worker.interrupt();
        }
    }

    private void giveBackCount() {
        if (!accounted) {
            accounted = true;
            loop.outsideWorkDone();
        }
    }

    /** {@link Asyncio#toThread}: runs {@code work} on the default executor in a copy of the caller's context. */
    static <T> T toThread(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        Task<?> task = Task.currentOrThrow("toThread()");
        Context context = Context.copyContext(); // the worker sees the caller's context variables
        return task.loop.runInExecutor(null, () -> context.run(work)).await();
    }

    /** For task dumps: what runs the job now. */
    @Override
    public synchronized String toString() {
        Thread w = worker;
        return "ExecutorJob[" + (w != null ? "running on " + w.getName() : finished ? "finished" : "queued") + "]";
    }
}
