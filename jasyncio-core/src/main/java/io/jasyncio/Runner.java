package io.jasyncio;

import io.jasyncio.internal.LoopPost;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs coroutines on one event loop that it owns: asyncio's {@code Runner}. Several
 * {@link #run} calls share the loop (and so their context); {@link #close()} finishes the loop
 * the way {@link Asyncio#run} does.
 *
 * <pre>{@code
 * try (Runner runner = new Runner()) {
 *     runner.run(() -> setUp());
 *     runner.run(() -> serve());
 * }
 * }</pre>
 *
 * <h2>Ctrl-C</h2>
 * While {@link #run} runs on a loop with {@code handleSigint} (the default), the first SIGINT
 * cancels the main task, so its {@code finally} blocks run, and {@code run} then throws
 * {@link CancelledError} "interrupted by SIGINT"; a second SIGINT goes to the handler that was
 * installed before (the JVM's: shutdown), as asyncio 3.11+ does. Only one runner at a time owns
 * SIGINT; others leave it alone. Where SIGINT is ignored (a background job), it stays ignored.
 *
 * <p>Threading: use a runner from one thread.
 */
public final class Runner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");
    private static final AtomicBoolean SIGINT_OWNED = new AtomicBoolean();

    private final LoopOptions options;
    private EventLoop loop;
    private boolean closed;

    /** A runner with the default options. */
    public Runner() {
        this(LoopOptions.defaults());
    }

    /** A runner whose loop is set up by {@code options}. */
    public Runner(LoopOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** A runner that takes over an existing, stopped loop (to finish and close it). */
    static Runner adopt(EventLoop loop) {
        Runner r = new Runner(LoopOptions.defaults().withHandleSigint(false));
        r.loop = loop;
        return r;
    }

    /** The runner's loop, created on first use. */
    public EventLoop getLoop() {
        if (closed) {
            throw new IllegalStateException("the runner is closed");
        }
        if (loop == null) {
            loop = new EventLoop(options);
        }
        return loop;
    }

    /**
     * Runs {@code main} as a task until it is done and returns its result (or throws its exception).
     * @throws IllegalStateException when called from code running on an event loop
     */
    public <T> T run(Coroutine<T> main) {
        Objects.requireNonNull(main, "main");
        if (EventLoop.runningOrNull() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop:"
                    + " inside a coroutine call the coroutine directly, or use createTask()");
        }
        EventLoop l = getLoop();
        Task<T> task = l.createTask("main", main);
        SigintGuard guard = options.handleSigint() ? SigintGuard.install(l, task) : null;
        try {
            return l.runUntilComplete(task);
        } catch (CancelledError e) {
            if (guard != null && guard.interrupted && task.uncancel() == 0) {
                CancelledError interrupted = new CancelledError("interrupted by SIGINT (Ctrl-C)");
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        } finally {
            if (guard != null) {
                guard.uninstall();
            }
        }
    }

    /**
     * Cancels and awaits every remaining task (their failures go to the exception handler), shuts
     * the default executor down and closes the loop. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop == null) {
            return;
        }
        try {
            loop.shutdownAsyncGenerators();
            cancelAllTasks(loop);
            loop.shutdownDefaultExecutor();
        } finally {
            loop.close();
        }
    }

    private static void cancelAllTasks(EventLoop loop) {
        List<Task<?>> remaining = loop.allTasks();
        if (remaining.isEmpty()) {
            return;
        }
        for (Task<?> t : remaining) {
            t.cancel();
        }
        List<Future<?>> all = new ArrayList<>(remaining);
        loop.runUntilComplete(new GatheringFuture<Object>(loop, castAll(all), true));
        for (Task<?> t : remaining) {
            if (!t.cancelled() && t.exception() != null) {
                loop.callExceptionHandler(new ExceptionContext(
                        "unhandled exception during Asyncio.run() shutdown", t.exception(), t, null));
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Future<?>> castAll(List<Future<?>> l) {
        return (List) l;
    }

    /** The SIGINT handler of one {@link #run} call. */
    private static final class SigintGuard implements SignalHandler {
        private final EventLoop loop;
        private final Task<?> main;
        private final Signal signal = new Signal("INT");
        private SignalHandler previous;
        volatile boolean interrupted;

        private SigintGuard(EventLoop loop, Task<?> main) {
            this.loop = loop;
            this.main = main;
        }

        static SigintGuard install(EventLoop loop, Task<?> main) {
            if (!SIGINT_OWNED.compareAndSet(false, true)) {
                return null;
            }
            SigintGuard g = new SigintGuard(loop, main);
            try {
                g.previous = Signal.handle(g.signal, g);
                if (g.previous == SignalHandler.SIG_IGN) {
                    // Ctrl-C is ignored in this process (a background job, nohup): respect that, as
                    // asyncio does; the JVM would not deliver SIGINT to us anyway.
                    Signal.handle(g.signal, SignalHandler.SIG_IGN);
                    SIGINT_OWNED.set(false);
                    return null;
                }
                return g;
            } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
                // SIGINT is reserved (-Xrs) or not supported here: run without it.
                SIGINT_OWNED.set(false);
                LOG.log(Level.DEBUG, "jasyncio: cannot handle SIGINT: {0}", unavailable.getMessage());
                return null;
            }
        }

        void uninstall() {
            try {
                Signal.handle(signal, previous);
            } finally {
                SIGINT_OWNED.set(false);
            }
        }

        @Override
        public void handle(Signal sig) {
            if (interrupted || main.done()) {
                // Second Ctrl-C: stop hard, through the handler that was there before us.
                SignalHandler p = previous;
                if (p != null && p != SignalHandler.SIG_DFL && p != SignalHandler.SIG_IGN) {
                    p.handle(sig);
                } else {
                    Signal.handle(signal, SignalHandler.SIG_DFL);
                    Signal.raise(signal);
                }
                return;
            }
            interrupted = true;
            LoopPost.postIfOpen(loop, main::cancel); // a closed loop has no main task left
        }
    }
}
