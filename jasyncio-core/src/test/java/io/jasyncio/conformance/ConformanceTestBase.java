package io.jasyncio.conformance;

import io.jasyncio.Coroutine;
import io.jasyncio.LoopOptions;
import io.jasyncio.test.StrictLoop;

/**
 * What every class of this package shares: each test runs as the main task of a fresh
 * {@link StrictLoop} (virtual clock, so CPython's sleeps cost nothing; anything reported to the
 * loop's exception handler fails the test). A subclass may override {@link #options()}, as the
 * {@code ...EagerConformanceTest} classes do to run a whole class again with eager tasks, the way
 * CPython runs a test class under {@code eager_task_factory}.
 *
 * <p>These classes port CPython's {@code Lib/test/test_asyncio/} test methods one by one; each test
 * method's comment names the CPython method it ports when the Java name does not make that plain.
 * Methods that do not map onto jasyncio's API are listed, with the reason, in {@code SKIPPED.md}
 * beside this file.
 */
@org.junit.jupiter.api.Timeout(60)
abstract class ConformanceTestBase {

    /** The loop options every test of the class runs with. */
    LoopOptions options() {
        return StrictLoop.virtualTime();
    }

    /** Runs {@code body} as the main task of a fresh loop with {@link #options()}. */
    final <T> T run(Coroutine<T> body) {
        return StrictLoop.run(options(), body);
    }

    /** Runs a body that returns nothing. */
    final void runVoid(VoidBody body) {
        StrictLoop.run(options(), () -> {
            body.run();
            return null;
        });
    }

    /** A test body without a result, so that tests need no {@code return null}. */
    @FunctionalInterface
    interface VoidBody {
        void run() throws Exception;
    }
}
