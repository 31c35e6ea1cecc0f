package io.jasyncio.conformance;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code test_waitfor.py}: {@code wait_for} on coroutines (run in the caller's task, as
 * asyncio 3.12+) and on tasks/futures. Where CPython checks the {@code TimeoutError}'s
 * {@code __context__}, jasyncio chains the {@link CancelledError} as the exception's cause.
 */
class WaitForConformanceTest extends ConformanceTestBase {

    /** A very small timeout: positive, but of no consequence to the test's running time. */
    private static final Duration EPSILON = Duration.ofNanos(100_000);

    /** CPython's SlowTask: runs for {@link #TASK_TIMEOUT} seconds of loop time, ignoring cancellations. */
    static final class SlowTask {
        static final double TASK_TIMEOUT = 0.2;
        boolean exited;

        Void run() {
            EventLoop loop = getRunningLoop();
            double exitAt = loop.time() + TASK_TIMEOUT;
            while (true) {
                double toSleep = exitAt - loop.time();
                if (toSleep <= 0) {
                    break;
                }
                try {
                    sleep(toSleep);
                } catch (CancelledError ignored) {
                    // this task ignores cancel requests on purpose
                }
            }
            exited = true;
            return null;
        }
    }

    private static Duration seconds(double s) {
        return Duration.ofNanos((long) (s * 1e9));
    }

    @Test
    void asyncioWaitForCancelled() {
        runVoid(() -> {
            SlowTask t = new SlowTask();
            Task<Void> waitForTask = createTask(() -> waitFor(t::run, seconds(SlowTask.TASK_TIMEOUT * 2)));
            sleep(0);
            waitForTask.cancel();
            Asyncio.wait(List.of(waitForTask), ReturnWhen.ALL_COMPLETED, null);
            assertThat(t.exited).isTrue();
        });
    }

    @Test
    void asyncioWaitForTimeout() {
        runVoid(() -> {
            SlowTask t = new SlowTask();
            try {
                waitFor(t::run, seconds(SlowTask.TASK_TIMEOUT / 2));
            } catch (TimeoutException ignored) {
                // either outcome is fine: the point is that the slow task ran to its end
            }
            assertThat(t.exited).isTrue();
        });
    }

    @Test
    void waitForTimeoutLessThen0Or0FutureDone() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> fut = loop.createFuture();
            fut.setResult("done");
            double t0 = loop.time();
            String ret = waitFor(fut, Duration.ZERO);
            double t1 = loop.time();
            assertThat(ret).isEqualTo("done");
            assertThat(fut.done()).isTrue();
            assertThat(t1 - t0).isLessThan(0.1);
        });
    }

    @Test
    void waitForTimeoutLessThen0Or0CoroutineDoNotStarted() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            boolean[] fooStarted = {false};
            double t0 = loop.time();
            assertThat(catchThrowable(() -> waitFor(() -> {
                fooStarted[0] = true;
                return null;
            }, Duration.ZERO))).isInstanceOf(TimeoutException.class);
            double t1 = loop.time();
            assertThat(fooStarted[0]).isFalse();
            assertThat(t1 - t0).isLessThan(0.1);
        });
    }

    @Test
    void waitForTimeoutLessThen0Or0() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
                Boolean[] fooRunning = {null};
                Future<Void> started = loop.createFuture();
                Task<String> fut = createTask(() -> {
                    fooRunning[0] = true;
                    started.setResult(null);
                    try {
                        sleep(10);
                    } finally {
                        fooRunning[0] = false;
                    }
                    return "done";
                });
                started.await();
                double t0 = loop.time();
                assertThat(catchThrowable(() -> waitFor(fut, timeout))).as("timeout %s", timeout)
                        .isInstanceOf(TimeoutException.class);
                double t1 = loop.time();
                assertThat(fut.done()).isTrue();
                assertThat(fut.cancelled()).as("cancelled because of the timeout").isTrue();
                assertThat(fooRunning[0]).isFalse();
                assertThat(t1 - t0).isLessThan(0.1);
            }
        });
    }

    @Test
    void waitForCancelsTheTaskOnTimeout() {
        // test_wait_for
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            Boolean[] fooRunning = {null};
            Task<String> fut = createTask(() -> {
                fooRunning[0] = true;
                try {
                    sleep(10);
                } finally {
                    fooRunning[0] = false;
                }
                return "done";
            });
            double t0 = loop.time();
            assertThat(catchThrowable(() -> waitFor(fut, Duration.ofMillis(100)))).isInstanceOf(TimeoutException.class);
            double t1 = loop.time();
            assertThat(fut.done()).isTrue();
            assertThat(fut.cancelled()).isTrue();
            assertThat(t1 - t0).isLessThan(0.5);
            assertThat(fooRunning[0]).isFalse();
        });
    }

    @Test
    void waitForBlocking() {
        runVoid(() -> assertThat(waitFor(() -> "done", null)).isEqualTo("done"));
    }

    @Test
    void waitForRaceCondition() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> fut = loop.createFuture();
            loop.callLater(0.1, () -> fut.setResult("ok"));
            assertThat(waitFor(fut, Duration.ofMillis(200))).isEqualTo("ok");
        });
    }

    @Test
    void waitForCancellationRaceCondition() {
        runVoid(() -> {
            int result = waitFor(() -> {
                assertThat(catchThrowable(() -> sleep(1))).isInstanceOf(CancelledError.class);
                return 1;
            }, Duration.ofMillis(10));
            assertThat(result).isEqualTo(1);
        });
    }

    private static Task<Void> slowToCancel(boolean[] taskDone) {
        return createTask(() -> {
            try {
                sleep(10);
            } catch (CancelledError e) {
                sleep(EPSILON);
                throw e;
            } finally {
                taskDone[0] = true;
            }
            return null;
        });
    }

    @Test
    void waitForWaitsForTaskCancellation() {
        runVoid(() -> {
            boolean[] taskDone = {false};
            Task<Void> innerTask = slowToCancel(taskDone);
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> waitFor(innerTask, EPSILON));
            assertThat(e).isNotNull();
            assertThat(taskDone[0]).isTrue();
            assertThat(e.getCause()).isExactlyInstanceOf(CancelledError.class);
        });
    }

    @Test
    void waitForWaitsForTaskCancellationWithTimeout0() {
        runVoid(() -> {
            boolean[] taskDone = {false};
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> {
                Task<Void> innerTask = slowToCancel(taskDone);
                sleep(EPSILON);
                waitFor(innerTask, Duration.ZERO);
            });
            assertThat(e).isNotNull();
            assertThat(taskDone[0]).isTrue();
            assertThat(e.getCause()).isExactlyInstanceOf(CancelledError.class);
        });
    }

    /** CPython's FooException. */
    static final class FooException extends RuntimeException {
        FooException() {
            super("foo");
        }
    }

    @Test
    void waitForReraisesExceptionDuringCancellation() {
        runVoid(() -> {
            Throwable e = catchThrowable(() -> {
                Task<Void> innerTask = createTask(() -> {
                    try {
                        sleep(0.2);
                    } finally {
                        throw new FooException();
                    }
                });
                waitFor(innerTask, EPSILON);
            });
            assertThat(e).isInstanceOf(FooException.class);
        });
    }

    @Test
    void waitForSelfCancellation() {
        runVoid(() -> {
            Task<Integer> innerTask = createTask(() -> {
                try {
                    sleep(0.3);
                } catch (CancelledError e) {
                    try {
                        sleep(0.3);
                    } catch (CancelledError e2) {
                        sleep(0.3);
                    }
                }
                return 42;
            });
            // wait_for itself is cancellable even when the task it waits for holds up the cancellation
            Task<Integer> task = createTask(() -> waitFor(innerTask, Duration.ofMillis(100)));
            task.cancel();
            assertThat(catchThrowable(task::await)).isInstanceOf(CancelledError.class);
            assertThat(innerTask.await()).isEqualTo(42);
        });
    }

    private void cancelWaitFor(Duration timeout) {
        EventLoop loop = getRunningLoop();
        Task<Void> task = createTask(() -> {
            Future<Void> fut = loop.createFuture();
            fut.await(); // never completed
            return null;
        });
        Task<Void> waiting = createTask(() -> waitFor(task, timeout));
        loop.callSoon(waiting::cancel);
        assertThat(catchThrowable(waiting::await)).isInstanceOf(CancelledError.class);
        // bpo-23219: cancelling the wait must also cancel the task
        assertThat(task.cancelled()).isTrue();
    }

    @Test
    void cancelBlockingWaitFor() {
        runVoid(() -> cancelWaitFor(null));
    }

    @Test
    void cancelWaitFor() {
        runVoid(() -> cancelWaitFor(Duration.ofSeconds(60)));
    }

    /** gh-84849: a coroutine that turns its cancellation into a value keeps it. */
    @Test
    void waitForCancelSuppressed() {
        runVoid(() -> {
            int res = waitFor(() -> {
                try {
                    sleep(10);
                } catch (CancelledError e) {
                    return 42;
                }
                return 0;
            }, Duration.ofMillis(100));
            assertThat(res).isEqualTo(42);
        });
    }

    /** gh-86296: a waitFor that completed leaves no state that would swallow a later cancellation. */
    @Test
    void waitForIssue86296() {
        runVoid(() -> {
            boolean[] reachedEnd = {false};
            Task<Void> task = createTask(() -> {
                waitFor(() -> null, Duration.ofSeconds(100));
                sleep(1);
                reachedEnd[0] = true;
                return null;
            });
            sleep(0);
            assertThat(task.done()).isFalse();
            task.cancel();
            assertThat(catchThrowable(task::await)).isInstanceOf(CancelledError.class);
            assertThat(reachedEnd[0]).isFalse();
        });
    }
}
