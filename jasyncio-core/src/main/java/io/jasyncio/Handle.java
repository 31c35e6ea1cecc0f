package io.jasyncio;

/**
 * A callback scheduled on a loop by {@link EventLoop#callSoon} (asyncio's {@code Handle}).
 * {@link #cancel()} keeps it from running if it has not run yet.
 *
 * <p>Threading: loop-confined, except that {@link #cancel()} of a handle returned by
 * {@link EventLoop#callSoonThreadsafe} may be called from any thread.
 */
public class Handle {
    /** Dropped (null) once cancelled, so a cancelled handle keeps nothing it captured alive. */
    private Runnable callback;
    final EventLoop loop;
    volatile boolean cancelled;
    /** The context the callback runs in (null: a fresh empty one). */
    Context context;

    /** The callback, or null once cancelled. */
    final Runnable callback() {
        return callback;
    }

    Handle(EventLoop loop, Runnable callback) {
        this.loop = loop;
        this.callback = callback;
    }

    /** Keeps the callback from running (and drops it); does nothing if it already ran. */
    public void cancel() {
        cancelled = true;
        callback = null;
    }

    /** True after {@link #cancel()}. */
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback unless cancelled; an exception goes to the loop's exception handler. */
    void run() {
        Runnable cb = callback;
        if (cancelled || cb == null) {
            return;
        }
        loop.currentContext = context;
        Object[] bound = Context.installBindings(context);
        try {
            cb.run();
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable t) {
            loop.callExceptionHandler(ExceptionContext.of("Exception in callback " + cb, t).withHandle(this));
        } finally {
            Context.restoreBindings(bound);
            loop.currentContext = null;
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (cancelled ? "cancelled" : String.valueOf(callback)) + "]";
    }
}
