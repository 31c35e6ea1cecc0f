package io.jasyncio;

import io.jasyncio.internal.LoopPost;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one bridge from a loop to other threads: the {@link CompletableFuture} behind
 * {@link Future#toCompletableFuture()} and {@link Asyncio#runCoroutineThreadsafe}. (The other
 * direction, a {@code CompletionStage} awaited by a task, is {@link Asyncio#await(java.util.concurrent.CompletionStage)}.)
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
}
