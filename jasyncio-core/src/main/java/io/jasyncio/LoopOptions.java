package io.jasyncio;

import io.jasyncio.internal.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * How a new {@link EventLoop} is set up. Immutable; each {@code with}-style method returns a copy.
 *
 * <pre>{@code
 * Asyncio.run(() -> main(), LoopOptions.defaults().debug(true).virtualTime(true));
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
 */
public record LoopOptions(boolean debug, Duration slowCallbackDuration, boolean virtualTime,
                          boolean eagerTasks, String engine, boolean handleSigint) {

    public LoopOptions {
        Objects.requireNonNull(slowCallbackDuration, "slowCallbackDuration");
        if (slowCallbackDuration.isNegative()) {
            throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + slowCallbackDuration);
        }
    }

    /** The defaults: debug from {@code -Djasyncio.debug}, 100 ms slow steps, real time. */
    public static LoopOptions defaults() {
        return new LoopOptions(Config.debugByDefault(), Duration.ofMillis(100), false, false, null, true);
    }

    public LoopOptions debug(boolean on) {
        return new LoopOptions(on, slowCallbackDuration, virtualTime, eagerTasks, engine, handleSigint);
    }

    public LoopOptions slowCallbackDuration(Duration d) {
        return new LoopOptions(debug, d, virtualTime, eagerTasks, engine, handleSigint);
    }

    public LoopOptions virtualTime(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, on, eagerTasks, engine, handleSigint);
    }

    public LoopOptions eagerTasks(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, on, engine, handleSigint);
    }

    public LoopOptions engine(String name) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, eagerTasks, name, handleSigint);
    }

    public LoopOptions handleSigint(boolean on) {
        return new LoopOptions(debug, slowCallbackDuration, virtualTime, eagerTasks, engine, on);
    }
}
