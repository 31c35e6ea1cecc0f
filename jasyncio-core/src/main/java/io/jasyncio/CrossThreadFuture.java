package io.jasyncio;

import io.jasyncio.internal.LabelledFuture;
import io.jasyncio.internal.LoopPost;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one bridge between a loop and other threads' {@code CompletableFuture}s. Out of the loop: the
 * {@link CompletableFuture} behind {@link Future#toCompletableFuture()} and
 * {@link Asyncio#runCoroutineThreadsafe} ({@link #runCoroutine}); into the loop: a task awaiting a
 * {@code CompletionStage} completed anywhere ({@link #awaitStage}).
 *
 * <p>Two rules on top of {@code CompletableFuture}: cancelling it from any thread cancels the loop
 * side ({@code onCancel}, posted to the loop unless it has closed); and a failure that nobody reads
 * is reported when it is garbage-collected ({@link UnretrievedFailure}), as a task's would be.
 * Reading means {@code get}, {@code join}, {@code getNow}, {@code resultNow}, {@code exceptionNow},
 * or attaching any dependent stage ({@code whenComplete}, {@code thenApply}, {@code exceptionally},
 * ... all create theirs through {@link #newIncompleteFuture()}). Not counted: {@code allOf}/{@code anyOf},
 * which attach to their arguments without a dependent stage; read the combined future's result
 * through the arguments' {@code join} if that matters.
 *
 * <p>Threading: completed on the loop thread; read and cancelled from any thread.
 */
final class CrossThreadFuture<T> extends CompletableFuture<T> {
    private final EventLoop loop;
    private final Runnable onCancel;
    private volatile UnretrievedFailure unretrieved;
    private volatile boolean read;

    CrossThreadFuture(EventLoop loop, Runnable onCancel) {
        this.loop = loop;
        this.onCancel = onCancel;
    }

    /** Completes with the outcome of {@code f} (done, on the loop thread). */
    void completeFrom(Future<? extends T> f) {
        if (f.cancelled()) {
            super.cancel(false);
            return;
        }
        Throwable e = f.exception(); // the loop side is read: from now on this future carries it
        if (e == null) {
            complete(f.result());
            return;
        }
        if (completeExceptionally(e) && !read) {
            unretrieved = UnretrievedFailure.watch(this, loop, e,
                    "a coroutine's failure handed to another thread was never read (CompletableFuture from "
                            + "runCoroutineThreadsafe or toCompletableFuture)", false);
            if (read) {
                markRead(); // a reader came while we were registering
            }
        }
    }

    /**
     * Whether this future's failure waits to be reported (nobody has read it): a reader that raced
     * with {@link #completeFrom} must still leave it false. Read by
     * {@code CrossThreadFutureModelCheckTest}, which explores such races (not every one: see there).
     */
    boolean failureReportPending() {
        UnretrievedFailure u = unretrieved;
        return u != null && !u.settled();
    }

    private void markRead() {
        read = true;
        UnretrievedFailure u = unretrieved;
        if (u != null) {
            u.markRetrieved();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean r = super.cancel(mayInterruptIfRunning);
        if (r) {
            LoopPost.postIfOpen(loop, onCancel); // a closed loop has nothing left to cancel
        }
        return r;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        markRead();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        markRead();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        markRead();
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        markRead();
        return super.getNow(valueIfAbsent);
    }

    @Override
    public T resultNow() {
        markRead();
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        markRead();
        return super.exceptionNow();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        markRead(); // every dependent stage (whenComplete, thenApply, handle, exceptionally...) reads the outcome
        return new CompletableFuture<>();
    }

    // ---------------------------------------------------------------- the two directions

    /** A task awaits {@code stage}, completed on any thread: asyncio's {@code wrap_future}, see {@link Asyncio#await(CompletionStage)}. */
    static <T> T awaitStage(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        Task<?> task = Task.currentOrThrow("Asyncio.await(CompletionStage)");
        EventLoop loop = task.loop;
        CompletableFuture<T> cf = stage.toCompletableFuture();
        if (cf.isDone() && !cf.isCompletedExceptionally()) {
            return cf.join();
        }
        Future<T> f = new LabelledFuture<>(loop, "CompletionStage.await", cf);
        loop.outsideWorkStarted();
        cf.whenComplete((value, error) -> LoopPost.postIfOpen(loop, () -> { // closed: nobody awaits any more
            loop.outsideWorkDone();
            if (f.done()) {
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CancellationException) {
                f.cancel();
            } else if (cause != null) {
                f.setException(cause);
            } else {
                f.setResult(value);
            }
        }));
        try {
            return f.await();
        } finally {
            if (f.cancelled()) {
                cf.cancel(true);
            }
        }
    }

    /** Another thread runs {@code coroutine} on {@code loop}: see {@link Asyncio#runCoroutineThreadsafe}. */
    static <T> CompletableFuture<T> runCoroutine(Coroutine<T> coroutine, EventLoop loop) {
        Objects.requireNonNull(coroutine, "coroutine");
        Objects.requireNonNull(loop, "loop");
        Task<?>[] started = new Task<?>[1];
        CrossThreadFuture<T> cf = new CrossThreadFuture<>(loop, () -> {
            if (started[0] != null) {
                started[0].cancel();
            }
        });
        loop.callSoonThreadsafe(() -> {
            if (cf.isDone()) {
                return; // cancelled before it started
            }
            Task<T> task = loop.createTask(coroutine);
            started[0] = task;
            task.addDoneCallback(cf::completeFrom);
        });
        return cf;
    }
}
