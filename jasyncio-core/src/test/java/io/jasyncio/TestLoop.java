package io.jasyncio;

import io.jasyncio.test.StrictLoop;
import java.util.List;

/** Shorthands for this package's tests: {@link StrictLoop} on the virtual clock, and the engine in use. */
final class TestLoop {
    private TestLoop() {}

    static LoopOptions options() {
        return StrictLoop.virtualTime();
    }

    static <T> T run(Coroutine<T> body) {
        return StrictLoop.run(options(), body);
    }

    static <T> T run(LoopOptions options, Coroutine<T> body) {
        return StrictLoop.run(options, body);
    }

    static List<ExceptionContext> runCollecting(Coroutine<?> body) {
        return StrictLoop.runCollecting(options(), body);
    }

    /** The engine this JVM's tests run under. */
    static String engine() {
        return io.jasyncio.internal.Engines.selected().name();
    }
}
