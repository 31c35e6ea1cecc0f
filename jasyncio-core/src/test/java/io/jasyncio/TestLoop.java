package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a test body on a fresh loop with the virtual clock, and fails the test on anything the
 * loop had to report to its exception handler (strict teardown, DESIGN 7.5): an error nobody
 * expected is a failure, not a log line.
 */
final class TestLoop {
    private TestLoop() {}

    static LoopOptions options() {
        return LoopOptions.defaults().virtualTime(true).handleSigint(false);
    }

    /** Runs {@code body} as the main task of a virtual-time loop; asserts nothing was reported. */
    static <T> T run(Coroutine<T> body) {
        return run(options(), body);
    }

    static <T> T run(LoopOptions options, Coroutine<T> body) {
        List<ExceptionContext> reported = new ArrayList<>();
        T result;
        try (Runner runner = new Runner(options)) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            result = runner.run(body);
        }
        assertThat(reported).as("errors reported to the loop's exception handler").isEmpty();
        return result;
    }

    /** Like {@link #run(Coroutine)} but returns what the exception handler received. */
    static List<ExceptionContext> runCollecting(Coroutine<?> body) {
        List<ExceptionContext> reported = new ArrayList<>();
        try (Runner runner = new Runner(options())) {
            runner.getLoop().setExceptionHandler((loop, ctx) -> reported.add(ctx));
            runner.run(body);
        }
        return reported;
    }

    /** The engine this JVM's tests run under. */
    static String engine() {
        return io.jasyncio.internal.Engines.selected().name();
    }
}
