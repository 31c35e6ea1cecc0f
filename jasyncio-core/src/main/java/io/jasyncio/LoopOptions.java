package io.jasyncio;

import io.jasyncio.internal.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * How a new {@link EventLoop} is set up. Immutable; each {@code withX(...)} method returns a copy
 * (named apart from the accessors, so {@code options.debug(true);} cannot compile and silently do
 * nothing).
 *
 * <pre>{@code
 * Asyncio.run(() -> main(), LoopOptions.defaults().withDebug(true).withVirtualTime(true));
 * }</pre>
 *
 * @param debug                debug mode: slow steps logged with the stack where the loop was
 *                             blocked, loop methods called from foreign threads throw
 *                             (default: {@code -Djasyncio.debug})
 * @param slowCallbackDuration a step longer than this is slow (default 100 ms, as asyncio)
 * @param virtualTime          trio's autojump clock: when nothing is ready and no outside work is
 *                             pending, loop time jumps to the next timer instead of waiting
 * @param eagerTasks           tasks start running inside {@code createTask} until their first
 *                             suspension (asyncio 3.12's eager task factory)
 * @param engine               {@code "continuation"}, {@code "virtual"}, or null for the JVM-wide
 *                             choice
 * @param handleSigint         {@link Asyncio#run} and {@link Runner} turn the first Ctrl-C into a
 *                             cancellation of the main task (default true)
 * @param handleSigterm        the same for SIGTERM, so that a service stopped by its supervisor
 *                             (systemd, Kubernetes, {@code kill}) runs every {@code finally} (default
 *                             false, as asyncio; a second SIGTERM stops the JVM at once)
 */
public record LoopOptions(boolean debug, Duration slowCallbackDuration, boolean virtualTime,
                          boolean eagerTasks, String engine, boolean handleSigint, boolean handleSigterm) {

    public LoopOptions {
        Objects.requireNonNull(slowCallbackDuration, "slowCallbackDuration");
        if (slowCallbackDuration.isNegative()) {
            throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + slowCallbackDuration);
        }
    }

    /** The defaults: debug from {@code -Djasyncio.debug}, 100 ms slow steps, real time. */
    public static LoopOptions defaults() {
        return new LoopOptions(Config.debugByDefault(), Duration.ofMillis(100), false, false, null, true, false);
    }

    /** A copy with {@link #debug()} set. */
    public LoopOptions withDebug(boolean on) {
        return new LoopOptions(on, slowCallbackDuration, virtualTime, eagerTasks, engine, handleSigint, handleSigterm);
    }

    /** A copy with {@link #slowCallbackDuration()} set. */
    public LoopOptions withSlowCallbackDuration(Duration d) {
        return new LoopOptions(debug, d, virtualTime, eagerTasks, engine, handleSigint, handleSigterm);
    }

    /** A copy with {@link #virtualTime()} set. */
    public LoopOptions withVirtualTime(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, on, eagerTasks, engine, handleSigint, handleSigterm);
    }

    /** A copy with {@link #eagerTasks()} set. */
    public LoopOptions withEagerTasks(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, on, engine, handleSigint, handleSigterm);
    }

    /** A copy with {@link #engine()} set. */
    public LoopOptions withEngine(String name) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, eagerTasks, name, handleSigint, handleSigterm);
    }

    /** A copy with {@link #handleSigint()} set. */
    public LoopOptions withHandleSigint(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, eagerTasks, engine, on, handleSigterm);
    }

    /** A copy with {@link #handleSigterm()} set. */
    public LoopOptions withHandleSigterm(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, eagerTasks, engine, handleSigint, on);
    }
}
