package io.jasyncio.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test whose body runs as the main task of a fresh event loop, so it may suspend
 * ({@code sleep}, {@code await}, streams...) like any coroutine.
 *
 * <pre>{@code
 * @AsyncioTest
 * void retriesAfterTheTimeout() {
 *     sleep(3600);            // virtual time: returns at once, loop.time() advanced by an hour
 * }
 * }</pre>
 *
 * <p>By default the loop uses trio's autojump clock ({@code virtualTime}): when every task waits,
 * time jumps to the next timer, so timing tests run instantly and deterministically. The test fails
 * if anything reaches the loop's exception handler (an exception nobody retrieved, a failing
 * callback) or if a task it started is still pending when it returns (strict teardown), and fails with
 * the task tree if it hangs past its {@link #timeout()}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Test
@ExtendWith(AsyncioExtension.class)
public @interface AsyncioTest {
    /** Use the autojump virtual clock (default true); false runs in real time. */
    boolean virtualTime() default true;

    /** Fail when a task started by the test is still pending at its end (default true). */
    boolean failOnPendingTasks() default true;

    /**
     * Seconds of real time the test may run (default 60; 0: no limit). A test still running then is
     * cancelled and fails with its loop's task tree: every task, what it awaits, the user line and stack it
     * is suspended at, and any deadlock. Real time, not loop time: a virtual-time test that hangs waits
     * on nothing the virtual clock can advance.
     */
    double timeout() default 60;
}
