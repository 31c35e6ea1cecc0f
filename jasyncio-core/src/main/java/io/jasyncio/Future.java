package io.jasyncio;

import io.jasyncio.internal.Sneaky;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The eventual result of an operation: asyncio's {@code Future}. Not
 * {@link java.util.concurrent.Future}: this one is never waited for by blocking; a task
 * {@linkplain #await() awaits} it, which suspends only that task. Convert with
 * {@link #toCompletableFuture()} to hand it to blocking or reactive code.
 *
 * <h2>States</h2>
 * <pre>
 *  state      | done() | result()          | reached by
 *  PENDING    | false  | InvalidState      | creation
 *  RESULT     | true   | the value         | setResult
 *  EXCEPTION  | true   | throws it         | setException
 *  CANCELLED  | true   | CancelledError    | cancel
 * </pre>
 * Invariants: (1) a done future never changes again; (2) every done callback is scheduled exactly
 * once, with {@link EventLoop#callSoon}, in registration order, never run inline; (3) a task
 * awaiting the future is woken through the same queue, so it runs no earlier than callbacks
 * registered before it.
 *
 * <p>Threading: loop-confined. From another thread use {@link EventLoop#callSoonThreadsafe} or
 * {@link Asyncio#runCoroutineThreadsafe}.
 *
 * <h2>Exceptions and checked exceptions</h2>
 * {@link #await()} and {@link #result()} rethrow the stored exception itself, not a wrapper, even
 * when it is a checked exception (the compiler does not see it: catch {@code Exception} and test
 * with {@code instanceof}). The object is the one the coroutine raised, so its stack trace shows
 * where it was raised inside the coroutine. An exception that nobody retrieves is reported to the
 * loop's exception handler ("exception was never retrieved") when the future is garbage-collected,
 * and at the latest when the loop closes.
 *
 * @param <T> the result type
 */
public class Future<T> {

    static final byte PENDING = 0, RESULT = 1, EXCEPTION = 2, CANCELLED = 3;

    final EventLoop loop;
    byte state = PENDING;
    /**
     * What the future ended with, read by {@code state}: the value (RESULT), the Throwable
     * (EXCEPTION), or for CANCELLED the message (a String, or null) or the very CancelledError to
     * rethrow (a Task's, rule d of {@link Task}). One field rather than three: every future and
     * every task carries it.
     */
    private Object outcome;
    /** null, a single Consumer/Task, or an ArrayList of them, in registration order. */
    private Object callbacks;
    private UnretrievedFailure unretrieved;

    /** A pending future bound to {@code loop}. Prefer {@link EventLoop#createFuture()}. */
    @SuppressWarnings("this-escape") // debug mode only files the reference in a weak map; nothing reads it yet
    public Future(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (loop.isDebug()) {
            loop.recordCreationSite(this); // asyncio's source traceback, in debug mode only
        }
    }

    /** The loop this future belongs to. */
    public EventLoop getLoop() {
        return loop;
    }

    // ---------------------------------------------------------------- queries

    /** True once a result, an exception or a cancellation is set. */
    public boolean done() {
        return state != PENDING;
    }

    /** True if the future was cancelled. */
    public boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * The result. Throws the stored exception (the same object, even if checked), a
     * {@link CancelledError} if cancelled, or {@link InvalidStateException} if not done.
     */
    public T result() {
        switch (state) {
            case RESULT:
                return resultValue();
            case EXCEPTION:
                markRetrieved();
                throw Sneaky.raise((Throwable) outcome);
            case CANCELLED:
                CancelledError e = cancelledError();
                if (loop.isDebug()) {
                    noteCancellationRaised(e);
                }
                throw e;
            default:
                throw new InvalidStateException("result() of a future that is not done yet (" + this + "): await() it first, or check done()");
        }
    }

    /**
     * The stored exception, or null if the future has a result. Throws {@link CancelledError} if
     * cancelled and {@link InvalidStateException} if not done.
     */
    public Throwable exception() {
        switch (state) {
            case RESULT:
                return null;
            case EXCEPTION:
                markRetrieved();
                return (Throwable) outcome;
            case CANCELLED:
                throw cancelledError();
            default:
                throw new InvalidStateException("exception() of a future that is not done yet (" + this + "): await() it first, or check done()");
        }
    }

    /** The error a cancelled future rethrows: the one kept by {@link #finishCancelled(CancelledError)}, else a new one. */
    final CancelledError cancelledError() {
        return outcome instanceof CancelledError kept ? kept : new CancelledError((String) outcome);
    }

    /** The message of a cancelled future (null if none was given). */
    final String cancelMessage() {
        return outcome instanceof CancelledError kept ? kept.getMessage() : (String) outcome;
    }

    @SuppressWarnings("unchecked")
    private T resultValue() {
        return (T) outcome;
    }

    /** Debug mode: the current task is receiving {@code e} (see {@link SwallowedCancellation}). */
    private void noteCancellationRaised(CancelledError e) {
        Task<?> receiver = Task.currentOrNull();
        if (receiver != null && receiver.loop == loop) {
            loop.swallowedCancellation().raised(receiver, e);
        }
    }

    // ---------------------------------------------------------------- completion

    /** Marks the future done with {@code value} and schedules its callbacks. */
    public void setResult(T value) {
        loop.checkThread();
        if (state != PENDING) {
            throw new InvalidStateException("setResult() on a future that is already done (" + this + "): a future completes once;"
                    + " use trySetResult() where a cancellation may have come first");
        }
        finishResult(value);
    }

    /**
     * Marks the future done with {@code exception} and schedules its callbacks. A
     * {@link CancelledError} is refused: use {@link #cancel()}.
     */
    public void setException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        loop.checkThread();
        if (state != PENDING) {
            throw new InvalidStateException("setException() on a future that is already done (" + this + "): a future completes once");
        }
        if (exception instanceof CancelledError) {
            throw new IllegalArgumentException("a CancelledError cannot be set as an exception: call cancel() instead");
        }
        finishException(exception);
    }

    /**
     * Sets the result if the future is still pending; returns false (and changes nothing) if it
     * is already done. For producers racing a cancellation: the one helper behind every
     * "wake the waiter unless it gave up".
     */
    public boolean trySetResult(T value) {
        loop.checkThread();
        if (state != PENDING) {
            return false;
        }
        finishResult(value);
        return true;
    }

    /** Cancels with no message. */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future: it becomes done and cancelled, and its callbacks are scheduled.
     * Returns false if it was already done.
     */
    public boolean cancel(String message) {
        loop.checkThread();
        if (state != PENDING) {
            markRetrieved(); // asyncio: cancel() of a done future means nobody wants its failure
            return false;
        }
        finishCancelled(message);
        return true;
    }

    final void finishResult(T value) {
        outcome = value;
        state = RESULT;
        scheduleCallbacks();
    }

    final void finishException(Throwable exception) {
        outcome = exception;
        state = EXCEPTION;
        unretrieved = UnretrievedFailure.watch(this, loop, exception, describeForReport(), true);
        scheduleCallbacks();
    }

    final void finishCancelled(String message) {
        outcome = message;
        state = CANCELLED;
        scheduleCallbacks();
    }

    /** Cancelled with {@code error} itself: awaiting the future rethrows that very object. */
    final void finishCancelled(CancelledError error) {
        outcome = error;
        state = CANCELLED;
        scheduleCallbacks();
    }

    /** Gives {@code dest} this (done) future's outcome: asyncio's {@code _copy_future_state}. */
    final void copyOutcomeTo(Future<T> dest) {
        switch (state) {
            case RESULT -> dest.setResult(resultValue());
            case EXCEPTION -> {
                markRetrieved();
                dest.setException((Throwable) outcome);
            }
            case CANCELLED -> dest.cancel(cancelMessage());
            default -> throw new AssertionError("copyOutcomeTo() needs a done future: " + this);
        }
    }

    String describeForReport() {
        return "Future exception was never retrieved" + loop.creationSiteText(this);
    }

    /** The stored exception without marking it retrieved (observability: JFR events). */
    final Throwable peekException() {
        return state == EXCEPTION ? (Throwable) outcome : null;
    }

    /** True unless the future failed and nobody has read the exception yet. */
    final boolean exceptionRead() {
        return unretrieved == null;
    }

    final void markRetrieved() {
        UnretrievedFailure u = unretrieved;
        if (u != null) {
            unretrieved = null;
            u.markRetrieved();
        }
    }

    // ---------------------------------------------------------------- callbacks

    /**
     * Calls {@code callback} with this future once it is done, through {@link EventLoop#callSoon}
     * (so never inline, even if already done). An exception it throws goes to the loop's handler.
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        if (state != PENDING) {
            loop.callSoon(() -> callback.accept(this));
        } else {
            addWaiter(callback);
        }
    }

    /** Removes every registration of {@code callback}; returns how many were removed. */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        return removeWaiter(callback);
    }

    /** Registers a callback or a task to wake; only while pending. */
    final void addWaiter(Object waiter) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = waiter;
        } else if (cbs instanceof CallbackList list) {
            list.add(waiter);
        } else {
            CallbackList list = new CallbackList();
            list.add(cbs);
            list.add(waiter);
            callbacks = list;
        }
    }

    final int removeWaiter(Object waiter) {
        Object cbs = callbacks;
        if (cbs == null) {
            return 0;
        }
        if (cbs instanceof CallbackList list) {
            int before = list.size();
            list.removeIf(x -> x == waiter);
            return before - list.size();
        }
        if (cbs == waiter) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private void scheduleCallbacks() {
        if (FlightEvents.recording && this instanceof Task<?> t) {
            FlightEvents.taskFinished(t); // JFR hook: one volatile load when no recording runs
        }
        Object cbs = callbacks;
        callbacks = null;
        if (cbs == null) {
            return;
        }
        if (cbs instanceof CallbackList list) {
            for (Object cb : list) {
                schedule(cb);
            }
        } else {
            schedule(cbs);
        }
    }

    @SuppressWarnings("unchecked")
    private void schedule(Object cb) {
        if (cb instanceof Task<?> task) {
            loop.enqueue(task);
        } else {
            Consumer<? super Future<T>> c = (Consumer<? super Future<T>>) cb;
            loop.callSoon(() -> c.accept(this));
        }
    }

    /** A marker type so that a single callback that is itself an ArrayList is never confused. */
    private static final class CallbackList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;

        CallbackList() {
            super(4);
        }
    }

    // ---------------------------------------------------------------- awaiting

    /**
     * Suspends the current task until this future is done, then returns its result or throws its
     * exception (the same object, even if checked). Python's {@code await fut}.
     *
     * <p>Cancellation: if the awaiting task is cancelled meanwhile, this future is cancelled too
     * (asyncio's rule; wrap it in {@link Asyncio#shield} to prevent that) and the task gets a
     * {@link CancelledError} here. Nothing is lost: a result set before the cancellation arrived
     * is still in the future.
     *
     * @throws IllegalStateException outside a task, or when the future belongs to another loop
     */
    public T await() {
        if (state == PENDING) {
            Task.currentOrThrow("Future.await()").awaitFuture(this);
        }
        return result();
    }

    /**
     * {@link #await()}, declaring the checked exception the caller expects, so that it can be caught
     * by type: {@code try { body = fetch.awaitChecked(IOException.class); } catch (IOException e) { ... }}. (A
     * separate name rather than an overload of {@code await}, so {@code fut::await} stays unambiguous.)
     * The exception is still the very object the coroutine threw; any other exception propagates
     * unchanged too, as with {@code await()}.
     */
    public final <X extends Exception> T awaitChecked(Class<X> expected) throws X {
        Objects.requireNonNull(expected, "expected");
        return await();
    }

    // ---------------------------------------------------------------- interop

    /**
     * A {@link CompletableFuture} completed (on the loop thread) when this future completes: with
     * the result, the exception, or cancelled. Cancelling the returned future from any thread
     * cancels this one on its loop.
     */
    public CompletableFuture<T> toCompletableFuture() {
        CrossThreadFuture<T> cf = new CrossThreadFuture<>(loop, () -> Future.this.cancel());
        addDoneCallback(cf::completeFrom);
        return cf;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + stateText() + "]";
    }

    final String stateText() {
        return switch (state) {
            case PENDING -> "state=PENDING";
            case RESULT -> "state=FINISHED, result=" + outcome;
            case EXCEPTION -> "state=FINISHED, exception=" + outcome;
            default -> "state=CANCELLED" + (cancelMessage() != null ? ", message=" + cancelMessage() : "");
        };
    }
}
