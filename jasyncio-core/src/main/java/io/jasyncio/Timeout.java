package io.jasyncio;

/**
 * A deadline for a block of code: asyncio's {@code asyncio.timeout()} / {@code timeout_at()}
 * context manager, as try-with-resources.
 *
 * <pre>{@code
 * try (Timeout t = Asyncio.timeout(Duration.ofSeconds(2))) {
 *     fetch();                      // suspends; abandoned when the deadline passes
 * } catch (TimeoutException e) {
 *     log("too slow, expired=" + e.scope().expired());
 * }
 * }</pre>
 *
 * <h2>States</h2>
 * <pre>
 *  state    | meaning                                       | next
 *  ENTERED  | open; the deadline (if any) is scheduled      | EXPIRING (deadline passed), EXITED (closed in time)
 *  EXPIRING | deadline passed; its task has been cancelled  | EXPIRED (closed)
 *  EXPIRED  | closed after the deadline passed              | -
 *  EXITED   | closed before the deadline                    | -
 * </pre>
 *
 * <h2>How the deadline reaches the code</h2>
 * When the deadline passes, the scope cancels its task (asyncio's mechanism). At the suspension
 * point where the task was paused, the cancellation is thrown as a {@link TimeoutException}
 * (cause: the {@link CancelledError}) if this scope owns it, exactly when asyncio's
 * {@code __aexit__} would have turned it into {@code TimeoutError}: a cancellation that also came
 * from outside wins and stays a {@code CancelledError}; nested scopes report only their own
 * expiry (see {@link CancelScope}). Java cannot do the conversion in {@link #close()}: an
 * exception thrown there would only be attached as suppressed. Consequence worth knowing: like
 * any exception, the {@code TimeoutException} can be caught inside the block; catching it there
 * means the block goes on past its deadline.
 *
 * <p>Threading: loop-confined; open and close it in the same task, innermost first.
 */
public final class Timeout extends CancelScope implements AutoCloseable {
    private enum State { ENTERED, EXPIRING, EXPIRED, EXITED }

    private final EventLoop loop;
    private final Task<?> task;
    private State state;
    private long whenNanos;
    private boolean hasDeadline;
    private TimerHandle handle;

    /** Opens a scope in the current task with a deadline in loop time; infinity means none. */
    Timeout(double when) {
        this.task = Task.currentOrThrow("timeout()");
        this.loop = task.loop;
        task.pushScope(this);
        state = State.ENTERED;
        reschedule(when);
    }

    /** The deadline in loop time (seconds), or {@link Double#POSITIVE_INFINITY} for none. */
    public double when() {
        return hasDeadline ? whenNanos / 1e9 : Double.POSITIVE_INFINITY;
    }

    /**
     * Moves the deadline to loop time {@code when} ({@link Double#POSITIVE_INFINITY}: none). A
     * deadline in the past expires the scope on the next loop turn.
     * @throws IllegalStateException once the scope expired or closed
     */
    public void reschedule(double when) {
        if (state != State.ENTERED) {
            throw new IllegalStateException("cannot reschedule a timeout that is " + state.name().toLowerCase());
        }
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (when == Double.POSITIVE_INFINITY) {
            hasDeadline = false;
            return;
        }
        hasDeadline = true;
        whenNanos = EventLoop.secondsToNanos(when);
        if (whenNanos <= loop.nowNanos()) {
            handle = null;
            loop.callSoon(this::onDeadline);
        } else {
            handle = loop.callAtNanos(whenNanos, this::onDeadline);
        }
    }

    /** True once the deadline passed (even if the block has not finished unwinding). */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void onDeadline() {
        if (state != State.ENTERED || !hasDeadline || whenNanos > loop.nowNanos()) {
            return; // rescheduled or closed meanwhile
        }
        task.cancel();
        state = State.EXPIRING;
        handle = null;
    }

    @Override
    boolean cancelRequested() {
        return state == State.EXPIRING;
    }

    @Override
    Throwable ownCancellation(CancelledError cancelled) {
        return new TimeoutException("the timeout's deadline passed", this, cancelled);
    }

    /** Closes the scope: cancels the deadline, and takes back this scope's cancellation if it expired. */
    @Override
    public void close() {
        if (state == State.EXPIRED || state == State.EXITED) {
            return;
        }
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        task.popScope(this);
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            task.uncancel();
        } else {
            state = State.EXITED;
        }
    }

    @Override
    public String toString() {
        return "Timeout[" + state.name().toLowerCase() + (hasDeadline ? ", when=" + when() : "") + "]";
    }
}
