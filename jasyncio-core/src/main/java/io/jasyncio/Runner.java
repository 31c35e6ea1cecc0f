package io.jasyncio;

import io.jasyncio.internal.LoopPost;
import io.jasyncio.internal.Signals;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * <h2>SIGTERM</h2>
 * With {@link LoopOptions#withHandleSigterm(boolean) handleSigterm}, SIGTERM does the same (the
 * main task is cancelled, every {@code finally} runs, {@code run} throws {@link CancelledError}
 * "terminated by SIGTERM"), so a service stopped by its supervisor shuts down gracefully. The
 * conventional exit status is then 143 (128 + 15): a program's {@code main} can end with it:
 * <pre>{@code
 * try {
 *     Asyncio.run(() -> serve(), LoopOptions.defaults().withHandleSigterm(true));
 * } catch (CancelledError stopped) {
 *     System.exit(stopped.getMessage().contains("SIGTERM") ? 143 : 130);
 * }
 * }</pre>
 *
 * <p>Threading: use a runner from one thread.
 */
public final class Runner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

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
        List<StopSignalGuard> guards = new ArrayList<>(2);
        if (options.handleSigint()) {
            guards.add(StopSignalGuard.install("INT", "interrupted by SIGINT (Ctrl-C)", l, task));
        }
        if (options.handleSigterm()) {
            guards.add(StopSignalGuard.install("TERM", "terminated by SIGTERM", l, task));
        }
        guards.removeIf(java.util.Objects::isNull);
        try {
            return l.runUntilComplete(task);
        } catch (CancelledError e) {
            for (StopSignalGuard g : guards) {
                if (g.fired && task.uncancel() == 0) {
                    CancelledError stopped = new CancelledError(g.reason);
                    stopped.initCause(e);
                    throw stopped;
                }
            }
            throw e;
        } finally {
            for (StopSignalGuard g : guards) {
                g.uninstall();
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
        loop.runUntilComplete(GatheringFuture.outcomes(loop, remaining));
        for (Task<?> t : remaining) {
            if (!t.cancelled() && t.exception() != null) {
                loop.callExceptionHandler(new ExceptionContext(
                        "unhandled exception during Asyncio.run() shutdown", t.exception(), t, null));
            }
        }
    }

    /**
     * The handler of one stop signal (SIGINT, SIGTERM) during one {@link #run} call: the first
     * signal cancels the main task, the second goes to the handler that was there before (the JVM's:
     * shutdown). Only one runner at a time owns each signal.
     */
    private static final class StopSignalGuard {
        private static final java.util.Map<String, AtomicBoolean> OWNED =
                java.util.Map.of("INT", new AtomicBoolean(), "TERM", new AtomicBoolean());

        private final EventLoop loop;
        private final Task<?> main;
        private final String name;
        private final String reason;
        private Signals.Previous previous;
        volatile boolean fired;

        private StopSignalGuard(String name, String reason, EventLoop loop, Task<?> main) {
            this.loop = loop;
            this.main = main;
            this.name = name;
            this.reason = reason;
        }

        static StopSignalGuard install(String name, String reason, EventLoop loop, Task<?> main) {
            AtomicBoolean owned = OWNED.get(name);
            if (!owned.compareAndSet(false, true)) {
                return null;
            }
            StopSignalGuard g = new StopSignalGuard(name, reason, loop, main);
            try {
                g.previous = Signals.install(name, g::handle);
                if (g.previous.ignored()) {
                    // Ignored in this process (a background job, nohup): respect that, as asyncio
                    // does; the JVM would not deliver it to us anyway.
                    Signals.ignore(name);
                    owned.set(false);
                    return null;
                }
                return g;
            } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
                // Reserved (-Xrs) or not supported here: run without it.
                owned.set(false);
                LOG.log(Level.DEBUG, "jasyncio: cannot handle SIG{0}: {1}", name, unavailable.getMessage());
                return null;
            }
        }

        void uninstall() {
            try {
                Signals.restore(name, previous);
            } finally {
                OWNED.get(name).set(false);
            }
        }

        private void handle(String signalName) {
            if (fired || main.done()) {
                Signals.passOn(name, previous); // second signal: stop hard, as without us
                return;
            }
            fired = true;
            LoopPost.postIfOpen(loop, main::cancel); // a closed loop has no main task left
        }
    }
}
