package io.jasyncio.test;

import org.opentest4j.AssertionFailedError;

/**
 * Ordered-execution asserts for interleavings (kotlinx.coroutines' {@code TestBase} habit):
 * {@code expect(1) ... expect(2) ... finish(3)}; a step out of order fails at once, and a line that
 * must never run calls {@link #expectUnreached()}. An {@code @AsyncioTest} method that takes an
 * {@code Expect} parameter gets a fresh one, and the test fails if it reached a step but never
 * {@link #finish(int) finished}.
 *
 * <p>Threading: confined to the tasks of one loop (no synchronization), like the code it checks.
 */
public final class Expect {
    private int last;
    private boolean finished;

    /** Marks step {@code step}; it must be the next one. */
    public void expect(int step) {
        if (finished) {
            throw new AssertionFailedError("expect(" + step + ") after finish(" + last + ")");
        }
        if (step != last + 1) {
            throw new AssertionFailedError("expected step " + (last + 1) + " but reached step " + step);
        }
        last = step;
    }

    /** Marks the last step. */
    public void finish(int step) {
        expect(step);
        finished = true;
    }

    /** Fails: this line must not run. */
    public void expectUnreached() {
        throw new AssertionFailedError("this line must not be reached (last step " + last + ")");
    }

    /** Fails unless {@link #finish} was reached; nothing to check if no step was reached at all. */
    public void assertFinished() {
        if (last > 0 && !finished) {
            throw new AssertionFailedError("reached step " + last + " but never finish(): the test ended early");
        }
    }
}
