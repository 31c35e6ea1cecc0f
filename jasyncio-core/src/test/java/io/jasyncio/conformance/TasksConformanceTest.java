package io.jasyncio.conformance;

import static io.jasyncio.Asyncio.asCompleted;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.gatherSettled;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.shield;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.DoneAndPending;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.Outcome;
import io.jasyncio.ReturnWhen;
import io.jasyncio.Task;
import io.jasyncio.TimeoutException;
import io.jasyncio.TimerHandle;
import io.jasyncio.test.StrictLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The gather / wait / as_completed / shield / cancel parts of CPython's {@code test_tasks.py}.
 * jasyncio's {@code gather} suspends and returns the list (asyncio returns a gathering future to
 * await), so where a CPython test holds the gathering future, these tests run the gather in a
 * task and hold the task. {@code wait} is {@link Asyncio#wait} (qualified: {@code Object.wait}
 * shadows a static import), {@code as_completed} is {@link Asyncio#asCompleted}, which hands out
 * the futures themselves as they complete (asyncio 3.13's async iterator). Coroutines passed to
 * wait/as_completed in CPython are tasks here, as jasyncio takes futures. Loop times are checked on
 * the virtual clock, relative to the test's start.
 */
class TasksConformanceTest {

    static Task<Void> sleepTask(double seconds) {
        return createTask(() -> sleep(seconds, null));
    }

    static <T> Task<T> sleepTask(double seconds, T result) {
        return createTask(() -> sleep(seconds, result));
    }

    // ==================================================================== cancel

    @Nested
    class CancelTests extends ConformanceTestBase {

        @Test
        void taskCancelMessageGetter() {
            runVoid(() -> {
                Task<Void> t = createTask(() -> null);
                t.cancel("my message");
                CancelledError e = catchThrowableOfType(CancelledError.class, t::await);
                assertThat(e).isNotNull();
                assertThat(e.getMessage()).isEqualTo("my message");
            });
        }

        @Test
        void cancelling() {
            runVoid(() -> {
                Task<Void> t = sleepTask(10);
                assertThat(t.cancelling()).isZero();
                assertThat(t.toString()).doesNotContain("cancelling");
                assertThat(t.cancel()).isTrue();
                assertThat(t.cancelling()).isEqualTo(1);
                assertThat(t.toString()).contains("cancelling");
                assertThat(t.cancel()).isTrue(); // asyncio 3.11+: a second request also returns true
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            });
        }

        @Test
        void uncancelBasic() {
            runVoid(() -> {
                Task<Void> t = createTask(() -> {
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        currentTask().uncancel();
                        sleep(10);
                    }
                    return null;
                });
                sleep(0.01);
                assertThat(t.cancel()).isTrue(); // cancel the first sleep
                assertThat(t.toString()).contains("cancelling");
                assertThat(t.cancelling()).isEqualTo(1);
                assertThat(t.cancelled()).isFalse();
                sleep(0.01);
                assertThat(t.toString()).doesNotContain("cancelling"); // after uncancel()
                assertThat(t.cancelling()).isZero();
                assertThat(t.cancelled()).isFalse();
                assertThat(t.cancel()).isTrue(); // cancel the second sleep
                assertThat(t.cancelling()).isEqualTo(1);
                assertThat(t.cancelled()).isFalse();
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(t.cancelled()).isTrue();
                assertThat(t.done()).isTrue();
                t.uncancel(); // no effect once the task is done
                assertThat(t.cancelled()).isTrue();
                assertThat(t.done()).isTrue();
            });
        }

        /**
         * test_uncancel_structured_blocks: a hand-made timeout with callLater, cancel and uncancel,
         * converting its own cancellation into a TimeoutException only when the count drops to 0.
         */
        @Test
        void uncancelStructuredBlocks() {
            runVoid(() -> {
                Task<boolean[]> t1 = createTask(() -> makeRequestWithTimeout(10.0, 0.1));
                boolean[] r1 = t1.await();
                assertThat(r1[0]).as("timed out").isTrue();
                assertThat(r1[1]).as("structured block finished").isFalse();
                assertThat(r1[2]).as("outer code reached").isTrue();
                assertThat(t1.cancelling()).isZero();
                Task<boolean[]> t2 = createTask(() -> makeRequestWithTimeout(0, 10.0));
                boolean[] r2 = t2.await();
                assertThat(r2[0]).isFalse();
                assertThat(r2[1]).isTrue();
                assertThat(r2[2]).isTrue();
                assertThat(t2.cancelling()).isZero();
            });
        }

        private boolean[] makeRequestWithTimeout(double sleepSeconds, double timeoutSeconds) {
            Task<?> task = currentTask();
            EventLoop loop = task.getLoop();
            boolean[] timedOut = {false};
            boolean structuredBlockFinished = false;
            TimerHandle timeoutHandle = loop.callLater(timeoutSeconds, () -> {
                timedOut[0] = true;
                task.cancel();
            });
            try {
                try {
                    sleep(sleepSeconds); // the structured block affected by the timeout
                    structuredBlockFinished = true;
                } catch (CancelledError e) {
                    timeoutHandle.cancel();
                    if (timedOut[0] && task.uncancel() == 0) {
                        throw new TimeoutException("timed out");
                    }
                    throw e;
                } finally {
                    timeoutHandle.cancel();
                }
            } catch (TimeoutException e) {
                assertThat(timedOut[0]).isTrue();
            }
            boolean outerCodeReached = true; // code outside the block, not affected by the timeout
            sleep(0);
            return new boolean[] {timedOut[0], structuredBlockFinished, outerCodeReached};
        }

        /** A cancel taken back with uncancel() before the task resumes is not delivered. */
        @Test
        void uncancelResetsMustCancel() {
            runVoid(() -> {
                Future<Void> fut = getRunningLoop().createFuture();
                Task<Integer> task = createTask(() -> {
                    fut.await();
                    return 42;
                });
                sleep(0); // the task waits for fut
                fut.setResult(null); // the task is runnable
                task.cancel();
                assertThat(task.cancelling()).isEqualTo(1);
                task.uncancel();
                assertThat(task.cancelling()).isZero();
                assertThat(task.await()).isEqualTo(42);
            });
        }

        @Test
        void cancel() {
            runVoid(() -> {
                Task<Integer> t = createTask(() -> sleep(10.0, 12));
                getRunningLoop().callSoon(t::cancel);
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(t.done()).isTrue();
                assertThat(t.cancelled()).isTrue();
                assertThat(t.cancel()).isFalse();
            });
        }

        /** test_cancel_with_message_then_future_result / _exception: the message reaches result() and exception(). */
        @Test
        void cancelWithMessageThenFutureResultAndException() {
            for (String message : new String[] {null, "my message"}) {
                for (boolean viaResult : new boolean[] {true, false}) {
                    CancelledError e = catchThrowableOfType(CancelledError.class, () -> run(() -> {
                        Task<Void> task = sleepTask(10);
                        sleep(0);
                        task.cancel(message);
                        Asyncio.wait(List.of(task), ReturnWhen.ALL_COMPLETED, null);
                        if (viaResult) {
                            task.result();
                        } else {
                            task.exception();
                        }
                        return null;
                    }));
                    assertThat(e).as("message %s", message).isNotNull();
                    assertThat(e.getMessage()).isEqualTo(message);
                }
            }
        }

        /** test_cancellation_exception_context: the awaiting task sees the cancellation with its message. */
        @Test
        void cancellationExceptionContext() {
            runVoid(() -> {
                EventLoop loop = getRunningLoop();
                Future<Void> fut = loop.createFuture();
                Throwable e = catchThrowable(() -> {
                    Task<Void> innerTask = createTask(() -> {
                        fut.setResult(null);
                        sleep(10);
                        return null;
                    });
                    fut.await();
                    loop.callSoon(() -> innerTask.cancel("msg"));
                    try {
                        innerTask.await();
                    } catch (CancelledError ex) {
                        throw new IllegalArgumentException("cancelled", ex);
                    }
                });
                assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessage("cancelled");
                assertThat(e.getCause()).isInstanceOf(CancelledError.class).hasMessage("msg");
            });
        }

        @Test
        void cancelWithMessageBeforeStartingTask() {
            CancelledError e = catchThrowableOfType(CancelledError.class, () -> run(() -> {
                Task<Void> task = sleepTask(10);
                task.cancel("my message"); // no sleep(0): the task never started
                Asyncio.wait(List.of(task), ReturnWhen.ALL_COMPLETED, null);
                task.exception();
                return null;
            }));
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).isEqualTo("my message");
        }

        @Test
        void cancelYield() {
            runVoid(() -> {
                Task<Integer> t = createTask(() -> {
                    sleep(0);
                    sleep(0);
                    return 12;
                });
                sleep(0); // start the coroutine
                t.cancel();
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(t.done()).isTrue();
                assertThat(t.cancelled()).isTrue();
                assertThat(t.cancel()).isFalse();
            });
        }

        @Test
        void cancelInnerFuture() {
            runVoid(() -> {
                Future<Void> f = getRunningLoop().createFuture();
                Task<Integer> t = createTask(() -> {
                    f.await();
                    return 12;
                });
                sleep(0);
                f.cancel();
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(f.cancelled()).isTrue();
                assertThat(t.cancelled()).isTrue();
            });
        }

        @Test
        void cancelBothTaskAndInnerFuture() {
            runVoid(() -> {
                Future<Void> f = getRunningLoop().createFuture();
                Task<Integer> t = createTask(() -> {
                    f.await();
                    return 12;
                });
                sleep(0);
                f.cancel();
                t.cancel();
                assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
                assertThat(t.done()).isTrue();
                assertThat(f.cancelled()).isTrue();
                assertThat(t.cancelled()).isTrue();
            });
        }

        @Test
        void cancelTaskCatching() {
            runVoid(() -> {
                Future<Void> fut1 = getRunningLoop().createFuture();
                Future<Void> fut2 = getRunningLoop().createFuture();
                Task<Integer> t = createTask(() -> {
                    fut1.await();
                    try {
                        fut2.await();
                    } catch (CancelledError e) {
                        return 42;
                    }
                    return 0;
                });
                sleep(0);
                fut1.setResult(null);
                sleep(0);
                t.cancel();
                assertThat(fut2.cancelled()).isTrue();
                assertThat(t.await()).isEqualTo(42);
                assertThat(t.cancelled()).isFalse();
            });
        }

        @Test
        void cancelTaskIgnoring() {
            runVoid(() -> {
                Future<Void> fut1 = getRunningLoop().createFuture();
                Future<Void> fut2 = getRunningLoop().createFuture();
                Future<Integer> fut3 = getRunningLoop().createFuture();
                Task<Integer> t = createTask(() -> {
                    fut1.await();
                    try {
                        fut2.await();
                    } catch (CancelledError ignored) {
                        // ignored on purpose
                    }
                    return fut3.await();
                });
                sleep(0);
                fut1.setResult(null);
                sleep(0);
                t.cancel();
                assertThat(fut2.cancelled()).isTrue();
                sleep(0);
                fut3.setResult(42);
                assertThat(t.await()).isEqualTo(42);
                assertThat(fut3.cancelled()).isFalse();
                assertThat(t.cancelled()).isFalse();
            });
        }

        @Test
        void cancelCurrentTask() {
            runVoid(() -> {
                @SuppressWarnings("unchecked")
                Task<Integer>[] t = new Task[1];
                t[0] = createTask(() -> {
                    t[0].cancel();
                    sleep(100); // cancelled at once
                    return 12;
                });
                assertThat(t[0].cancelled()).isFalse();
                assertThatThrownBy(t[0]::await).isInstanceOf(CancelledError.class);
                assertThat(t[0].done()).isTrue();
                assertThat(t[0].cancelled()).isTrue();
                assertThat(t[0].cancel()).isFalse();
            });
        }

        /** test_cancel_at_end: a coroutine that ends right after its task was cancelled ends cancelled. */
        @Test
        void cancelAtEnd() {
            runVoid(() -> {
                @SuppressWarnings("unchecked")
                Task<Integer>[] t = new Task[1];
                t[0] = createTask(() -> {
                    t[0].cancel();
                    return 12;
                });
                assertThat(t[0].cancelled()).isFalse();
                assertThatThrownBy(t[0]::await).isInstanceOf(CancelledError.class);
                assertThat(t[0].done()).isTrue();
                assertThat(t[0].cancelled()).isTrue();
                assertThat(t[0].cancel()).isFalse();
            });
        }

        /** bpo-34872: a task that cancelled itself cancels the next task it awaits. */
        @Test
        void cancelAwaitedTask() {
            runVoid(() -> {
                Future<Void> fut = getRunningLoop().createFuture();
                @SuppressWarnings("unchecked")
                Task<Void>[] task = new Task[1];
                @SuppressWarnings("unchecked")
                Task<Void>[] nested = new Task[1];
                task[0] = createTask(() -> {
                    nested[0] = createTask(() -> {
                        fut.await();
                        return null;
                    });
                    sleep(0);
                    task[0].cancel();
                    nested[0].await();
                    return null;
                });
                assertThatThrownBy(task[0]::await).isInstanceOf(CancelledError.class);
                assertThat(task[0].cancelled()).isTrue();
                assertThat(nested[0].cancelled()).isTrue();
                assertThat(fut.cancelled()).isTrue();
            });
        }

        @Test
        void taskCancelSleepingTask() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> sleeper = sleepTask(5000);
                getRunningLoop().callLater(0.1, sleeper::cancel);
                String outcome;
                try {
                    sleeper.await();
                    outcome = "slept in";
                } catch (CancelledError e) {
                    outcome = "cancelled";
                }
                assertThat(outcome).isEqualTo("cancelled");
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.1, within(1e-6));
            });
        }

        @Test
        void taskCancelWaiterFuture() {
            runVoid(() -> {
                Future<Void> fut = getRunningLoop().createFuture();
                Task<Void> task = createTask(() -> {
                    fut.await();
                    return null;
                });
                sleep(0);
                assertThat(task.toString()).contains("awaiting=Future");
                task.cancel();
                sleep(0);
                assertThatThrownBy(task::await).isInstanceOf(CancelledError.class);
                assertThat(task.toString()).doesNotContain("awaiting");
                assertThat(fut.cancelled()).isTrue();
            });
        }

        /** test_yield_future_passes_cancel: cancelling outer cancels inner, which cancels the future. */
        @Test
        void yieldFuturePassesCancel() {
            runVoid(() -> {
                int[] proof = {0};
                Future<Void> waiter = getRunningLoop().createFuture();
                Coroutine<Void> inner = () -> {
                    try {
                        waiter.await();
                    } catch (CancelledError e) {
                        proof[0] += 1;
                        throw e;
                    }
                    fail("got past the await in inner()");
                    return null;
                };
                Task<Void> f = createTask(() -> {
                    try {
                        inner.call();
                    } catch (CancelledError e) {
                        proof[0] += 100; // the expected path
                        return null;
                    }
                    proof[0] += 10;
                    return null;
                });
                sleep(0);
                f.cancel();
                f.await();
                assertThat(proof[0]).isEqualTo(101);
                assertThat(waiter.cancelled()).isTrue();
            });
        }

        /** test_yield_wait_does_not_shield_cancel: cancelling outer ends its wait() early; inner runs on. */
        @Test
        void yieldWaitDoesNotShieldCancel() {
            runVoid(() -> {
                int[] proof = {0};
                Future<Void> waiter = getRunningLoop().createFuture();
                Task<Void> f = createTask(() -> {
                    Task<Void> inner = createTask(() -> {
                        waiter.await();
                        proof[0] += 1;
                        return null;
                    });
                    Asyncio.wait(List.of(inner), ReturnWhen.ALL_COMPLETED, null);
                    proof[0] += 100;
                    return null;
                });
                sleep(0);
                f.cancel();
                assertThatThrownBy(f::await).isInstanceOf(CancelledError.class);
                waiter.setResult(null);
                sleep(0);
                assertThat(proof[0]).isEqualTo(1);
            });
        }

        /**
         * test_baseexception_during_cancel: a task that answers its cancellation with an Error ends
         * with that Error, not cancelled. (asyncio lets SystemExit escape the loop itself; in Java
         * an Error from a task is the task's outcome like any throwable.)
         */
        @Test
        void baseExceptionDuringCancel() {
            runVoid(() -> {
                Error baseExc = new Error("CPython: SystemExit");
                Task<Void> task = createTask(() -> {
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        throw baseExc;
                    }
                    return null;
                });
                sleep(0);
                task.cancel();
                assertThat(task.done()).isFalse();
                assertThat(catchThrowable(task::await)).isSameAs(baseExc);
                assertThat(task.done()).isTrue();
                assertThat(task.cancelled()).isFalse();
                assertThat(task.exception()).isSameAs(baseExc);
            });
        }

        @Test
        void tbLoggerNotCalledAfterCancel() {
            List<ExceptionContext> reports = StrictLoop.runCollecting(options(), () -> {
                Task<Void> task = createTask(() -> {
                    throw new ClassCastException("CPython: TypeError");
                });
                sleep(0.05);
                task.cancel();
                return null;
            });
            assertThat(reports).isEmpty();
        }

        /** test_cancel_gather_2: a task looping on gather, cancelled with a message, ends with that message. */
        @Test
        void cancelGather2() {
            for (String message : new String[] {null, "my message"}) {
                CancelledError e = catchThrowableOfType(CancelledError.class, () -> run(() -> {
                    Task<Void> qwe = createTask(() -> {
                        double time = 0;
                        while (true) {
                            time += 0.05;
                            gatherSettled(() -> sleep(0.05, null));
                            if (time > 1) {
                                return null;
                            }
                        }
                    });
                    sleep(0.2);
                    qwe.cancel(message);
                    qwe.await();
                    return null;
                }));
                assertThat(e).as("gather() must pass the CancelledError on to its caller").isNotNull();
                assertThat(e.getMessage()).isEqualTo(message);
            }
        }
    }

    // ==================================================================== wait

    @Nested
    class WaitTests extends ConformanceTestBase {

        @Test
        void waitAll() {
            // test_wait
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(0.1);
                Task<Void> b = sleepTask(0.15);
                for (int pass = 0; pass < 2; pass++) { // the second pass takes no time
                    DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.ALL_COMPLETED, null);
                    assertThat(r.done()).containsExactlyInAnyOrder(a, b);
                    assertThat(r.pending()).isEmpty();
                    assertThat(getRunningLoop().time() - t0).isCloseTo(0.15, within(1e-6));
                }
            });
        }

        @Test
        void waitDuplicateCoroutines() {
            runVoid(() -> {
                Task<String> c = createTask(() -> "test");
                DoneAndPending<String> r = Asyncio.wait(List.of(c, c, createTask(() -> "spam")), ReturnWhen.ALL_COMPLETED, null);
                assertThat(r.pending()).isEmpty();
                assertThat(r.done().stream().map(Future::result).collect(Collectors.toSet())).containsExactlyInAnyOrder("test", "spam");
            });
        }

        /** test_wait_errors / test_wait_invalid_args: an empty collection is refused. */
        @Test
        void waitErrors() {
            runVoid(() -> assertThatThrownBy(() -> Asyncio.wait(List.<Future<Void>>of(), ReturnWhen.ALL_COMPLETED, null))
                    .isInstanceOf(IllegalArgumentException.class));
        }

        @Test
        void waitFirstCompleted() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(10.0);
                Task<Void> b = sleepTask(0.1);
                DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED, null);
                assertThat(r.done()).containsExactly(b);
                assertThat(r.pending()).containsExactly(a);
                assertThat(a.done()).isFalse();
                assertThat(b.done()).isTrue();
                assertThat(b.result()).isNull();
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.1, within(1e-6));
                Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
            });
        }

        /** Futures that became done before their callbacks ran are reported done. */
        @Test
        void waitReallyDone() {
            runVoid(() -> {
                Task<Void> a = createTask(() -> sleep(0, null));
                Task<Void> b = createTask(() -> {
                    sleep(0);
                    sleep(0);
                    return null;
                });
                DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED, null);
                assertThat(r.done()).containsExactlyInAnyOrder(a, b);
                assertThat(a.result()).isNull();
                assertThat(b.result()).isNull();
            });
        }

        @Test
        void waitFirstException() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(10.0);
                Task<Void> b = createTask(() -> {
                    throw new ArithmeticException("err");
                });
                DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_EXCEPTION, null);
                assertThat(r.done()).containsExactly(b);
                assertThat(r.pending()).containsExactly(a);
                assertThat(getRunningLoop().time() - t0).isCloseTo(0, within(1e-6));
                assertThat(b.exception()).isInstanceOf(ArithmeticException.class);
                Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
            });
        }

        @Test
        void waitFirstExceptionInWait() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(10.0);
                Task<Void> b = createTask(() -> {
                    sleep(0.01);
                    throw new ArithmeticException("err");
                });
                DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_EXCEPTION, null);
                assertThat(r.done()).containsExactly(b);
                assertThat(r.pending()).containsExactly(a);
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.01, within(1e-6));
                assertThat(b.exception()).isInstanceOf(ArithmeticException.class);
                Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
            });
        }

        @Test
        void waitWithException() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(0.1);
                Task<Void> b = createTask(() -> {
                    sleep(0.15);
                    throw new ArithmeticException("really");
                });
                for (int pass = 0; pass < 2; pass++) {
                    DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.ALL_COMPLETED, null);
                    assertThat(r.done()).hasSize(2);
                    assertThat(r.pending()).isEmpty();
                    assertThat(r.done().stream().filter(f -> f.exception() != null).count()).isEqualTo(1);
                    assertThat(getRunningLoop().time() - t0).isCloseTo(0.15, within(1e-6));
                }
            });
        }

        @Test
        void waitWithTimeout() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(0.1);
                Task<Void> b = sleepTask(0.15);
                DoneAndPending<Void> r = Asyncio.wait(List.of(b, a), ReturnWhen.ALL_COMPLETED, Duration.ofMillis(110));
                assertThat(r.done()).containsExactly(a);
                assertThat(r.pending()).containsExactly(b);
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.11, within(1e-6));
                Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
            });
        }

        @Test
        void waitConcurrentComplete() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<Void> a = sleepTask(0.1);
                Task<Void> b = sleepTask(0.15);
                // as CPython, the wait runs in a task created after a and b, so their timers come first
                DoneAndPending<Void> r = createTask(() -> Asyncio.wait(List.of(b, a), ReturnWhen.ALL_COMPLETED,
                        Duration.ofMillis(100))).await();
                assertThat(r.done()).containsExactly(a);
                assertThat(r.pending()).containsExactly(b);
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.1, within(1e-6));
                Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
            });
        }
    }

    // ==================================================================== as_completed

    @Nested
    class AsCompletedTests extends ConformanceTestBase {

        @Test
        void asCompletedInCompletionOrder() {
            // test_as_completed
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<String> a = sleepTask(0.01, "a");
                Task<String> b = sleepTask(0.01, "b");
                Task<String> c = sleepTask(0.15, "c");
                List<String> res = new ArrayList<>();
                for (Future<String> f : asCompleted(List.of(b, c, a), null)) {
                    res.add(f.await());
                }
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.15, within(1e-6));
                assertThat(res.subList(0, 2)).containsExactlyInAnyOrder("a", "b");
                assertThat(res.get(2)).isEqualTo("c");
            });
        }

        @Test
        void asCompletedSameTasksInAsOut() {
            runVoid(() -> {
                List<Task<String>> in = List.of(createTask(() -> "b"), createTask(() -> "d"));
                Set<Future<String>> out = new HashSet<>();
                for (Future<String> f : asCompleted(in, null)) {
                    out.add(f);
                }
                assertThat(out).as("the tasks themselves are handed back").containsExactlyInAnyOrderElementsOf(in);
            });
        }

        @Test
        void asCompletedWithTimeout() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<String> a = sleepTask(0.1, "a");
                Task<String> b = sleepTask(0.15, "b");
                List<Object> values = new ArrayList<>();
                try {
                    for (Future<String> f : asCompleted(List.of(a, b), Duration.ofMillis(120))) {
                        values.add(f.await());
                    }
                } catch (TimeoutException e) {
                    values.add(e);
                }
                assertThat(values).hasSize(2);
                assertThat(values.get(0)).isEqualTo("a");
                assertThat(values.get(1)).isInstanceOf(TimeoutException.class);
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.12, within(1e-6));
                Asyncio.wait(List.of(a, b), ReturnWhen.ALL_COMPLETED, null);
            });
        }

        @Test
        void asCompletedWithUnusedTimeout() {
            runVoid(() -> {
                Task<String> a = sleepTask(0.01, "a");
                for (Future<String> f : asCompleted(List.of(a), Duration.ofSeconds(1))) {
                    assertThat(f.await()).isEqualTo("a");
                }
            });
        }

        /** The iterator can be left and resumed; its Iterable hands out one iterator only. */
        @Test
        void asCompletedResumeIterator() {
            runVoid(() -> {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    int v = i;
                    tasks.add(createTask(() -> v));
                }
                Iterable<Future<Integer>> iterable = asCompleted(tasks, null);
                Iterator<Future<Integer>> iterator = iterable.iterator();
                List<Integer> collected = new ArrayList<>();
                while (iterator.hasNext() && collected.size() < 2) {
                    collected.add(iterator.next().await());
                }
                assertThat(collected).hasSize(2);
                while (iterator.hasNext()) { // resume the same iterator
                    collected.add(iterator.next().await());
                }
                assertThat(collected).containsExactlyInAnyOrder(0, 1, 2, 3);
                assertThatThrownBy(iterable::iterator).isInstanceOf(IllegalStateException.class);
            });
        }

        /** test_as_completed_concurrent: two futures completing together both come out, at the same loop time. */
        @Test
        void asCompletedConcurrent() {
            runVoid(() -> {
                double t0 = getRunningLoop().time();
                Task<String> a = sleepTask(0.05, "a");
                Task<String> b = sleepTask(0.05, "b");
                List<Future<String>> futs = new ArrayList<>();
                asCompleted(List.of(a, b), null).forEach(futs::add);
                assertThat(futs).hasSize(2);
                DoneAndPending<String> r = Asyncio.wait(futs, ReturnWhen.ALL_COMPLETED, null);
                assertThat(r.done().stream().map(Future::result).collect(Collectors.toSet())).containsExactlyInAnyOrder("a", "b");
                assertThat(getRunningLoop().time() - t0).isCloseTo(0.05, within(1e-6));
            });
        }

        @Test
        void asCompletedDuplicateCoroutines() {
            runVoid(() -> {
                Task<String> c = createTask(() -> "ham");
                List<String> result = new ArrayList<>();
                for (Future<String> f : asCompleted(List.of(c, c, createTask(() -> "spam")), null)) {
                    result.add(f.await());
                }
                assertThat(new HashSet<>(result)).containsExactlyInAnyOrder("ham", "spam");
                assertThat(result).hasSize(2);
            });
        }

        @Test
        void asCompletedWithoutLoop() {
            assertThatThrownBy(() -> asCompleted(List.<Future<Integer>>of(), null)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void asCompletedUseRunningLoop() {
            runVoid(() -> {
                List<Future<Integer>> futs = new ArrayList<>();
                asCompleted(List.of(createTask(() -> 42)), null).forEach(futs::add);
                assertThat(futs).hasSize(1);
                assertThat(futs.get(0).await()).isEqualTo(42);
            });
        }
    }

    // ==================================================================== shield

    @Nested
    class ShieldTests extends ConformanceTestBase {

        @Test
        void shieldResult() {
            runVoid(() -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                inner.setResult(42);
                assertThat(outer.await()).isEqualTo(42);
            });
        }

        @Test
        void shieldException() {
            runVoid(() -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                sleep(0);
                IllegalStateException exc = new IllegalStateException("expected");
                inner.setException(exc);
                sleep(0);
                assertThat(outer.exception()).isSameAs(exc);
            });
        }

        @Test
        void shieldCancelInner() {
            runVoid(() -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                sleep(0);
                inner.cancel();
                sleep(0);
                assertThat(outer.cancelled()).isTrue();
            });
        }

        @Test
        void shieldCancelOuter() {
            runVoid(() -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                sleep(0);
                outer.cancel();
                sleep(0);
                assertThat(outer.cancelled()).isTrue();
                assertThat(inner.cancelled()).isFalse();
                inner.cancel();
            });
        }

        /** A result the inner future gets after the outer was cancelled is no error: nothing is reported. */
        @Test
        void shieldCancelOuterResult() {
            runVoid(() -> { // StrictLoop: the exception handler must not be called
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                sleep(0);
                outer.cancel();
                sleep(0);
                inner.setResult(1);
                sleep(0);
            });
        }

        @Test
        void shieldCancelOuterException() {
            List<ExceptionContext> reports = StrictLoop.runCollecting(options(), () -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                sleep(0);
                outer.cancel();
                sleep(0);
                inner.setException(new IllegalStateException("foo"));
                sleep(0);
                return null;
            });
            assertThat(reports).hasSize(1);
        }

        @Test
        void shieldDuplicateLogOnce() {
            List<ExceptionContext> reports = StrictLoop.runCollecting(options(), () -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                sleep(0);
                outer.cancel();
                sleep(0);
                Future<Integer> outer2 = shield(inner);
                sleep(0);
                outer2.cancel();
                sleep(0);
                inner.setException(new IllegalStateException("foo"));
                sleep(0);
                return null;
            });
            assertThat(reports).hasSize(1);
        }

        @Test
        void shieldShortcut() {
            runVoid(() -> {
                Future<Integer> fut = getRunningLoop().createFuture();
                fut.setResult(42);
                assertThat(shield(fut).await()).isEqualTo(42);
            });
        }

        /** test_shield_effect: cancelling outer() does not reach inner(). */
        @Test
        void shieldEffect() {
            runVoid(() -> {
                int[] proof = {0};
                Future<Void> waiter = getRunningLoop().createFuture();
                Task<Void> f = createTask(() -> {
                    shield(() -> {
                        waiter.await();
                        proof[0] += 1;
                        return null;
                    }).await();
                    proof[0] += 100;
                    return null;
                });
                sleep(0);
                f.cancel();
                assertThatThrownBy(f::await).isInstanceOf(CancelledError.class);
                waiter.setResult(null);
                sleep(0);
                assertThat(proof[0]).isEqualTo(1);
            });
        }

        @Test
        void shieldGather() {
            runVoid(() -> {
                Future<Integer> child1 = getRunningLoop().createFuture();
                Future<Integer> child2 = getRunningLoop().createFuture();
                Task<List<Integer>> parent = createTask(() -> gather(child1, child2));
                Future<List<Integer>> outer = shield(parent);
                sleep(0);
                outer.cancel();
                sleep(0);
                assertThat(outer.cancelled()).isTrue();
                child1.setResult(1);
                child2.setResult(2);
                sleep(0);
                sleep(0);
                assertThat(parent.result()).containsExactly(1, 2);
            });
        }

        @Test
        void gatherShield() {
            runVoid(() -> {
                Future<Integer> child1 = getRunningLoop().createFuture();
                Future<Integer> child2 = getRunningLoop().createFuture();
                Future<Integer> inner1 = shield(child1);
                Future<Integer> inner2 = shield(child2);
                Task<List<Integer>> parent = createTask(() -> gather(inner1, inner2));
                sleep(0);
                parent.cancel(); // cancels inner1 and inner2, not child1 and child2
                sleep(0);
                sleep(0);
                assertThat(catchThrowable(parent::exception)).isInstanceOf(CancelledError.class);
                assertThat(inner1.cancelled()).isTrue();
                assertThat(inner2.cancelled()).isTrue();
                assertThat(child1.cancelled()).isFalse();
                child1.setResult(1);
                child2.setResult(2);
                sleep(0);
            });
        }

        @Test
        void shieldCoroutineWithoutLoop() {
            assertThatThrownBy(() -> shield(() -> 42)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void shieldCoroutineUseRunningLoop() {
            runVoid(() -> {
                Future<Integer> outer = shield(() -> 42);
                assertThat(outer.getLoop()).isSameAs(getRunningLoop());
                assertThat(outer.await()).isEqualTo(42);
            });
        }
    }

    // ==================================================================== gather

    /**
     * CPython's GatherTestsBase, run over futures (FutureGatherTests) and over coroutines that
     * await them (CoroutineGatherTests). The gathering future is a task running the gather.
     */
    abstract class GatherTests extends ConformanceTestBase {

        /** The children handed to gather: the futures themselves or tasks awaiting them. */
        abstract List<Future<Integer>> wrap(List<Future<Integer>> futures);

        List<Future<Integer>> futures(int n) {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(getRunningLoop().createFuture());
            }
            return fs;
        }

        /** CPython's _run_loop: lets everything ready run. */
        void runLoop() {
            for (int i = 0; i < 5; i++) {
                sleep(0);
            }
        }

        private void checkSuccess(boolean returnExceptions) {
            List<Future<Integer>> abc = futures(3);
            List<Future<Integer>> children = wrap(abc);
            Task<List<Integer>> fut = createTask(() -> returnExceptions
                    ? gatherSettled(children).stream().map(Outcome::getOrThrow).toList()
                    : gather(children));
            List<Future<?>> called = new ArrayList<>();
            fut.addDoneCallback(called::add);
            abc.get(1).setResult(1);
            abc.get(0).setResult(2);
            runLoop();
            assertThat(called).isEmpty();
            assertThat(fut.done()).isFalse();
            abc.get(2).setResult(3);
            runLoop();
            assertThat(called).containsExactly(fut);
            assertThat(fut.result()).containsExactly(2, 1, 3);
        }

        @Test
        void success() {
            runVoid(() -> checkSuccess(false));
        }

        @Test
        void resultExceptionSuccess() {
            runVoid(() -> checkSuccess(true));
        }

        @Test
        void oneException() {
            runVoid(() -> {
                List<Future<Integer>> fs = futures(5);
                List<Future<Integer>> children = wrap(fs);
                Task<List<Integer>> fut = createTask(() -> gather(children));
                List<Future<?>> called = new ArrayList<>();
                fut.addDoneCallback(called::add);
                ArithmeticException exc = new ArithmeticException();
                fs.get(0).setResult(1);
                fs.get(1).setException(exc);
                runLoop();
                assertThat(fut.done()).isTrue();
                assertThat(called).containsExactly(fut);
                assertThat(fut.exception()).isSameAs(exc);
                // these change nothing
                fs.get(2).setResult(3);
                fs.get(3).cancel();
                fs.get(4).setException(new IllegalStateException());
                fs.get(4).exception();
                runLoop();
            });
        }

        @Test
        void returnExceptions() {
            runVoid(() -> {
                List<Future<Integer>> fs = futures(4);
                List<Future<Integer>> children = wrap(fs);
                Task<List<Outcome<Integer>>> fut = createTask(() -> gatherSettled(children));
                List<Future<?>> called = new ArrayList<>();
                fut.addDoneCallback(called::add);
                ArithmeticException exc = new ArithmeticException();
                IllegalStateException exc2 = new IllegalStateException();
                fs.get(1).setResult(1);
                fs.get(2).setException(exc);
                fs.get(0).setResult(3);
                runLoop();
                assertThat(fut.done()).isFalse();
                fs.get(3).setException(exc2);
                runLoop();
                assertThat(fut.done()).isTrue();
                assertThat(called).containsExactly(fut);
                assertThat(fut.result()).containsExactly(new Outcome.Success<>(3), new Outcome.Success<>(1),
                        new Outcome.Failure<>(exc), new Outcome.Failure<>(exc2));
            });
        }
    }

    @Nested
    class FutureGatherTests extends GatherTests {
        @Override
        List<Future<Integer>> wrap(List<Future<Integer>> futures) {
            return futures;
        }

        @Test
        void constructorEmptySequenceUseRunningLoop() {
            runVoid(() -> assertThat(gather(List.<Future<Integer>>of())).isEmpty());
        }

        @Test
        void constructorEmptySequenceWithoutLoop() {
            assertThatThrownBy(() -> gather(List.<Future<Integer>>of())).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void constructorHeterogenousFutures() {
            runVoid(() -> {
                Future<Integer> fut1 = getRunningLoop().createFuture();
                try (EventLoop otherLoop = new EventLoop(StrictLoop.virtualTime())) {
                    Future<Integer> fut2 = otherLoop.createFuture();
                    assertThatThrownBy(() -> gather(fut1, fut2)).isInstanceOf(IllegalArgumentException.class);
                }
                fut1.cancel();
            });
        }

        /** test_one_cancellation: a cancelled child makes gather raise its CancelledError. */
        @Test
        void oneCancellation() {
            runVoid(() -> {
                List<Future<Integer>> fs = futures(5);
                Task<Throwable> fut = createTask(() -> catchThrowable(() -> gather(fs)));
                fs.get(0).setResult(1);
                fs.get(1).cancel();
                runLoop();
                assertThat(fut.done()).isTrue();
                assertThat(fut.result()).isInstanceOf(CancelledError.class);
                fs.get(2).setResult(3);
                fs.get(3).cancel();
                fs.get(4).setException(new IllegalStateException());
                fs.get(4).exception();
            });
        }

        @Test
        void resultExceptionOneCancellation() {
            runVoid(() -> {
                List<Future<Integer>> fs = futures(6);
                Task<List<Outcome<Integer>>> fut = createTask(() -> gatherSettled(fs));
                List<Future<?>> called = new ArrayList<>();
                fut.addDoneCallback(called::add);
                fs.get(0).setResult(1);
                ArithmeticException zde = new ArithmeticException();
                fs.get(1).setException(zde);
                fs.get(2).cancel();
                runLoop();
                assertThat(fut.done()).isFalse();
                fs.get(3).setResult(3);
                fs.get(4).cancel();
                IllegalStateException rte = new IllegalStateException();
                fs.get(5).setException(rte);
                List<Outcome<Integer>> res = fut.await();
                assertThat(res.get(0)).isEqualTo(new Outcome.Success<>(1));
                assertThat(res.get(1)).isEqualTo(new Outcome.Failure<Integer>(zde));
                assertThat(((Outcome.Failure<Integer>) res.get(2)).exception()).isInstanceOf(CancelledError.class);
                assertThat(res.get(3)).isEqualTo(new Outcome.Success<>(3));
                assertThat(((Outcome.Failure<Integer>) res.get(4)).exception()).isInstanceOf(CancelledError.class);
                assertThat(res.get(5)).isEqualTo(new Outcome.Failure<Integer>(rte));
                sleep(0);
                assertThat(called).containsExactly(fut);
            });
        }
    }

    @Nested
    class CoroutineGatherTests extends GatherTests {
        @Override
        List<Future<Integer>> wrap(List<Future<Integer>> futures) {
            List<Future<Integer>> coros = new ArrayList<>();
            for (Future<Integer> f : futures) {
                coros.add(createTask(f::await));
            }
            return coros;
        }

        @Test
        void constructorWithoutLoop() {
            assertThatThrownBy(() -> gather(() -> "abc", () -> "abc")).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void constructorUseRunningLoop() {
            runVoid(() -> assertThat(gather(() -> "abc", () -> "abc")).containsExactly("abc", "abc"));
        }

        /** A coroutine given several times runs once per mention (a Java lambda is no one-shot object). */
        @Test
        void duplicateCoroutines() {
            runVoid(() -> {
                Coroutine<String> c = () -> "abc";
                assertThat(gather(c, c, () -> "def", c)).containsExactly("abc", "abc", "def", "abc");
            });
        }

        /** Cancelling the task awaiting gather cancels every child. */
        @Test
        void cancellationBroadcast() {
            runVoid(() -> {
                int[] proof = {0};
                Future<Void> waiter = getRunningLoop().createFuture();
                Coroutine<Void> inner = () -> {
                    waiter.await();
                    proof[0] += 1;
                    return null;
                };
                Task<Void> child1 = createTask(inner);
                Task<Void> child2 = createTask(inner);
                Task<Void> f = createTask(() -> {
                    gather(child1, child2);
                    proof[0] += 100;
                    return null;
                });
                sleep(0);
                assertThat(f.cancel()).isTrue();
                assertThatThrownBy(f::await).isInstanceOf(CancelledError.class);
                assertThat(waiter.cancelled()).isTrue();
                assertThat(child1.cancelled()).isTrue();
                assertThat(child2.cancelled()).isTrue();
                sleep(0);
                assertThat(proof[0]).isZero();
            });
        }

        /** The second child's failure, after the first one's, is marked retrieved: nothing is reported. */
        @Test
        void exceptionMarking() {
            runVoid(() -> {
                Future<Void> a = getRunningLoop().createFuture();
                Future<Void> b = getRunningLoop().createFuture();
                Task<List<Object>> f = createTask(() -> gather(() -> {
                    a.await();
                    throw new IllegalStateException("should not be ignored");
                }, () -> {
                    b.await();
                    throw new IllegalStateException("should not be ignored");
                }));
                sleep(0);
                a.setResult(null);
                sleep(0);
                b.setResult(null);
                sleep(0);
                sleep(0);
                assertThat(f.exception()).isInstanceOf(IllegalStateException.class);
            });
        }
    }
}
