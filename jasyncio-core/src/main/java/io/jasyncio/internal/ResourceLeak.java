package io.jasyncio.internal;

import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Debug mode's leak detector for one resource (a socket or datagram transport, a server, a write pipe, a
 * child process, an async generator): asyncio's ResourceWarning "unclosed transport". A resource created while its loop is in debug mode is watched from creation until
 * it is {@linkplain #released() released}; one still open when its loop closes, or garbage-collected
 * before it was closed, is reported to the loop's exception handler with the user's line that created it.
 * Outside debug mode {@link #track} returns a shared do-nothing instance: the cost is one check.
 *
 * <p>Threading: created on the loop's thread; released on any thread (a child's exit is seen on a JDK
 * thread; the hooks are thread-safe); the GC report runs on the cleaner's thread and
 * hands the report to the loop (or logs it when the loop is closed). The {@code settled} flag makes each
 * resource reported at most once.
 */
public final class ResourceLeak implements Runnable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final Cleaner CLEANER = Cleaner.create();
    private static final ResourceLeak NONE = new ResourceLeak(null, null, null);

    private final EventLoop loop;
    private final String what;
    private final String createdAt;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final Runnable atClose = this::reportAtClose;

    private ResourceLeak(EventLoop loop, String what, String createdAt) {
        this.loop = loop;
        this.what = what;
        this.createdAt = createdAt;
    }

    /**
     * Watches {@code resource} (described as {@code what}, e.g. "SocketTransport") if {@code loop} is in
     * debug mode. The resource must call {@link #released()} when it closes.
     */
    public static ResourceLeak track(EventLoop loop, Object resource, String what) {
        if (!loop.isDebug()) {
            return NONE;
        }
        ResourceLeak leak = new ResourceLeak(loop, what, UserFrames.callerSite());
        CLEANER.register(resource, leak); // the action refers to the leak only, never to the resource
        LoopCloseHooks.add(loop, leak.atClose);
        return leak;
    }

    /** A detector that reports nothing: where a resource is not watched (yet). */
    public static ResourceLeak untracked() {
        return NONE;
    }

    /**
     * The resource was not closed by its user but released by a fallback ({@code how}: "closed only when
     * the task consuming it finished"): reported now, once, as a leak.
     */
    public void reportNow(String how) {
        if (this != NONE && settled.compareAndSet(false, true)) {
            LoopCloseHooks.remove(loop, atClose);
            loop.callExceptionHandler(ExceptionContext.of(message(how), null));
        }
    }

    /** The resource was closed: nothing to report. */
    public void released() {
        if (this != NONE && settled.compareAndSet(false, true)) {
            LoopCloseHooks.remove(loop, atClose);
        }
    }

    private String message(String when) {
        return what + " was never closed (" + when + "); created at " + createdAt;
    }

    private void reportAtClose() {
        if (settled.compareAndSet(false, true)) {
            loop.callExceptionHandler(ExceptionContext.of(message("still open when its event loop closed"), null));
        }
    }

    /** Garbage-collected while open. */
    @Override
    public void run() {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        LoopCloseHooks.remove(loop, atClose);
        ExceptionContext ctx = ExceptionContext.of(message("garbage-collected while open"), null);
        if (loop.isClosed() || !LoopPost.postIfOpen(loop, () -> loop.callExceptionHandler(ctx))) {
            LOG.log(Level.WARNING, ctx.message());
        }
    }
}
