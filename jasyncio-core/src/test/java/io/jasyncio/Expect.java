package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Ordered-execution asserts for interleavings (kotlinx.coroutines' TestBase habit):
 * {@code expect(1) ... expect(2) ... finish(3)}; a step out of order fails at once.
 */
final class Expect {
    private int last;
    private boolean finished;

    void expect(int step) {
        if (finished) {
            fail("expect(" + step + ") after finish(" + last + ")");
        }
        if (step != last + 1) {
            fail("expected step " + (last + 1) + " but reached step " + step);
        }
        last = step;
    }

    void finish(int step) {
        expect(step);
        finished = true;
    }

    void expectUnreached() {
        fail("this line must not be reached (last step " + last + ")");
    }

    void assertFinished() {
        assertThat(finished).as("finish() reached").isTrue();
    }
}
