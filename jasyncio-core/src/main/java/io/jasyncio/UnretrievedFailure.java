package io.jasyncio;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The report of a failure that nobody read: asyncio's "Task exception was never retrieved".
 * Created when a future (or a {@link CrossThreadFuture}) fails; settled exactly once, either
 * because someone read the exception ({@link #markRetrieved()}) or because it was reported.
 *
 * <p>It is reported when its future is garbage-collected (a {@link Cleaner} action; it must not
 * refer to the future, or the future would never become unreachable) and, for futures of a loop,
 * at the latest when the loop closes ({@link EventLoop#close()}), so a failed task that nobody
 * awaited is reported even if no GC happens to run.
 *
 * <p>Threading: {@link #markRetrieved()} and the report may race (the cleaner runs on its own
 * thread, a {@code CompletableFuture} is read on any thread): the {@code settled} flag decides.
 */
final class UnretrievedFailure implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final Cleaner CLEANER = Cleaner.create();

    private final EventLoop loop;
    private final Throwable exception;
    private final String message;
    /** Reported at loop close too (false for futures handed to other threads). */
    private final boolean reportAtLoopClose;
    private final AtomicBoolean settled = new AtomicBoolean();

    private UnretrievedFailure(EventLoop loop, Throwable exception, String message, boolean reportAtLoopClose) {
        this.loop = loop;
        this.exception = exception;
        this.message = message;
        this.reportAtLoopClose = reportAtLoopClose;
    }

    /** Watches {@code owner}, which just failed with {@code exception}. */
    static UnretrievedFailure watch(Object owner, EventLoop loop, Throwable exception, String message, boolean reportAtLoopClose) {
        UnretrievedFailure u = new UnretrievedFailure(loop, exception, message, reportAtLoopClose);
        CLEANER.register(owner, u);
        if (reportAtLoopClose) {
            loop.unretrievedFailures.add(u);
        }
        return u;
    }

    /** Someone read the exception: never report it. */
    void markRetrieved() {
        if (settled.compareAndSet(false, true) && reportAtLoopClose) {
            loop.unretrievedFailures.remove(this);
        }
    }

    /** Whether it was read or reported already (it will never be reported again). */
    boolean settled() {
        return settled.get();
    }

    /** The owner was garbage-collected without anyone reading the exception. */
    @Override
    public void run() {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        if (reportAtLoopClose) {
            loop.unretrievedFailures.remove(this);
        }
        ExceptionContext ctx = ExceptionContext.of(message, exception);
        if (!loop.reportFromAnyThread(ctx)) {
            LOG.log(Level.ERROR, message, exception);
        }
    }

    /** The loop is closing: report now, on the loop's thread, if still unread. */
    void reportAtClose() {
        if (settled.compareAndSet(false, true)) {
            loop.callExceptionHandler(ExceptionContext.of(message + " (still unread when its event loop closed)", exception));
        }
    }
}
