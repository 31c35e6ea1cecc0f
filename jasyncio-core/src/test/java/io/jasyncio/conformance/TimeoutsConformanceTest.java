package io.jasyncio.conformance;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import io.jasyncio.Timeout;
import io.jasyncio.TimeoutException;
import io.jasyncio.test.StrictLoop;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code test_timeouts.py} ({@code asyncio.timeout}, {@code timeout_at}) on jasyncio's
 * lambda-scoped {@code timeout(d, scope -> ...)}: the scope object CPython gets from
 * {@code async with ... as cm} is the lambda's parameter. {@code None} as a deadline is
 * {@code null} (relative) or {@link Double#POSITIVE_INFINITY} (absolute); {@code when()} reports
 * "no deadline" as infinity.
 */
class TimeoutsConformanceTest extends ConformanceTestBase {

    private static final Duration TEN_MS = Duration.ofMillis(10);

    /** Raised by test bodies where CPython raises a KeyError or similar unrelated exception. */
    static final class ForeignException extends RuntimeException {
        ForeignException() {
            super("foreign");
        }
    }

    @Test
    void timeoutBasic() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(TEN_MS, scope -> {
                cm[0] = scope;
                sleep(10);
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(cm[0].expired()).isTrue();
        });
    }

    @Test
    void timeoutAtBasic() {
        runVoid(() -> {
            double deadline = getRunningLoop().time() + 0.01;
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeoutAt(deadline, scope -> {
                cm[0] = scope;
                sleep(10);
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(cm[0].expired()).isTrue();
            assertThat(cm[0].when()).isEqualTo(deadline);
        });
    }

    @Test
    void nestedTimeoutsOnlyTheOutermostRaisesTimeout() {
        // test_nested_timeouts
        runVoid(() -> {
            double deadline = getRunningLoop().time() + 0.01;
            Timeout[] cm = new Timeout[2];
            boolean[] cancelled = {false};
            assertThatThrownBy(() -> timeoutAt(deadline, cm1 -> {
                cm[0] = cm1;
                try {
                    return timeoutAt(deadline, cm2 -> {
                        cm[1] = cm2;
                        sleep(10);
                        return null;
                    });
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
            })).isInstanceOf(TimeoutException.class);
            assertThat(cancelled[0]).isTrue();
            assertThat(cm[0].expired()).isTrue();
            assertThat(cm[1].expired()).isTrue();
        });
    }

    @Test
    void waiterCancelled() {
        runVoid(() -> {
            boolean[] cancelled = {false};
            assertThatThrownBy(() -> timeout(TEN_MS, () -> {
                try {
                    sleep(10);
                } catch (CancelledError e) {
                    cancelled[0] = true;
                    throw e;
                }
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(cancelled[0]).isTrue();
        });
    }

    @Test
    void timeoutNotCalled() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            timeout(Duration.ofSeconds(10), scope -> {
                cm[0] = scope;
                sleep(0.01);
                return null;
            });
            double t1 = getRunningLoop().time();
            assertThat(cm[0].expired()).isFalse();
            assertThat(cm[0].when()).isGreaterThan(t1);
        });
    }

    @Test
    void timeoutDisabled() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            timeout(null, scope -> {
                cm[0] = scope;
                sleep(0.01);
                return null;
            });
            assertThat(cm[0].expired()).isFalse();
            assertThat(cm[0].when()).isEqualTo(Double.POSITIVE_INFINITY);
        });
    }

    @Test
    void timeoutAtDisabled() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            timeoutAt(Double.POSITIVE_INFINITY, scope -> {
                cm[0] = scope;
                sleep(0.01);
                return null;
            });
            assertThat(cm[0].expired()).isFalse();
            assertThat(cm[0].when()).isEqualTo(Double.POSITIVE_INFINITY);
        });
    }

    @Test
    void timeoutZero() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            double t0 = loop.time();
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(Duration.ZERO, scope -> {
                cm[0] = scope;
                sleep(10);
                return null;
            })).isInstanceOf(TimeoutException.class);
            double t1 = loop.time();
            assertThat(cm[0].expired()).isTrue();
            assertThat(cm[0].when()).isBetween(t0, t1);
        });
    }

    @Test
    void timeoutZeroSleepZero() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            double t0 = loop.time();
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(Duration.ZERO, scope -> {
                cm[0] = scope;
                sleep(0);
                return null;
            })).isInstanceOf(TimeoutException.class);
            double t1 = loop.time();
            assertThat(cm[0].expired()).isTrue();
            assertThat(cm[0].when()).isBetween(t0, t1);
        });
    }

    @Test
    void timeoutInThePastSleepZero() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            double t0 = loop.time();
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(-11), scope -> {
                cm[0] = scope;
                sleep(0);
                return null;
            })).isInstanceOf(TimeoutException.class);
            double t1 = loop.time();
            assertThat(cm[0].expired()).isTrue();
            assertThat(cm[0].when()).isLessThanOrEqualTo(t0).isLessThanOrEqualTo(t1);
        });
    }

    @Test
    void foreignExceptionPassed() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(TEN_MS, scope -> {
                cm[0] = scope;
                throw new ForeignException();
            })).isInstanceOf(ForeignException.class);
            assertThat(cm[0].expired()).isFalse();
        });
    }

    @Test
    void foreignExceptionOnTimeout() {
        runVoid(() -> assertThatThrownBy(() -> timeout(TEN_MS, () -> {
            try {
                sleep(1);
            } finally {
                throw new ArithmeticException("/ by zero"); // CPython: 1/0 in the finally
            }
        })).isInstanceOf(ArithmeticException.class).hasNoCause());
    }

    /**
     * test_timeout_exception_context: the deadline interrupts a finally block that runs for an
     * exception; the TimeoutException's cause is the CancelledError. (CPython also checks the
     * implicit __context__ chain back to the ZeroDivisionError; Java has no implicit chaining, and an
     * exception thrown from a finally block replaces the one in flight.)
     */
    @Test
    void timeoutExceptionContext() {
        runVoid(() -> {
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> timeout(TEN_MS, () -> {
                try {
                    throw new ArithmeticException("/ by zero");
                } finally {
                    sleep(1);
                }
            }));
            assertThat(e).isNotNull();
            assertThat(e.getCause()).isInstanceOf(CancelledError.class);
            assertThat(e.getCause().getCause()).isNull();
        });
    }

    /** test_foreign_exception_on_timeout_2: an exception raised while unwinding from the deadline wins. */
    @Test
    void foreignExceptionOnTimeout2() {
        runVoid(() -> {
            Throwable e = catchThrowable(() -> timeout(TEN_MS, () -> {
                try {
                    try {
                        throw new IllegalArgumentException("CPython: ValueError");
                    } finally {
                        sleep(1);
                    }
                } finally {
                    try {
                        throw new ForeignException();
                    } finally {
                        throw new ArithmeticException("/ by zero");
                    }
                }
            }));
            assertThat(e).isInstanceOf(ArithmeticException.class);
            assertThat(e.getCause()).isNull();
        });
    }

    @Test
    void foreignCancelDoesntTimeoutIfNotExpired() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(10), scope -> {
                cm[0] = scope;
                currentTask().cancel();
                sleep(10);
                return null;
            })).isInstanceOf(CancelledError.class);
            assertThat(cm[0].expired()).isFalse();
        });
    }

    @Test
    void outerTaskIsNotCancelled() {
        runVoid(() -> {
            Task<Void> task = createTask(() -> {
                assertThatThrownBy(() -> timeout(Duration.ofMillis(1), () -> {
                    sleep(10);
                    return null;
                })).isInstanceOf(TimeoutException.class);
                return null;
            });
            task.await();
            assertThat(task.cancelled()).isFalse();
            assertThat(task.done()).isTrue();
        });
    }

    /**
     * test_nested_timeouts_concurrent: the loop is blocked past both deadlines. A blocking sleep
     * does not move the virtual clock, so this one runs on the real clock.
     */
    @Test
    void nestedTimeoutsConcurrent() {
        StrictLoop.run(realTimeOptions(), () -> {
            assertThatThrownBy(() -> timeout(Duration.ofMillis(2), () -> {
                try {
                    timeout(Duration.ofMillis(100), () -> {
                        Thread.sleep(10); // CPython: time.sleep, the loop is busy
                        sleep(1);
                        return null;
                    });
                } catch (TimeoutException expected) {
                    // CPython's inner assertRaises(TimeoutError) lets any other exception through:
                    // here the outer deadline arrives as a CancelledError and leaves this block.
                }
                return null;
            })).isInstanceOf(TimeoutException.class);
            return null;
        });
    }

    /**
     * test_nested_timeouts_loop_busy: after the inner timeout caught its own expiry, the outer one
     * still interrupts the next sleep. Real clock (a blocking sleep); CPython's bound on the elapsed
     * time is left out (no wall-clock thresholds): the outer TimeoutException proves the 10 s sleep
     * was interrupted, the test's timeout bounds it.
     */
    @Test
    void nestedTimeoutsLoopBusy() {
        StrictLoop.run(realTimeOptions().withSlowCallbackDuration(Duration.ofSeconds(10)), () -> {
            Timeout[] outer = new Timeout[1];
            assertThatThrownBy(() -> timeout(Duration.ofMillis(100), scope -> {
                outer[0] = scope;
                try {
                    timeout(Duration.ofMillis(10), () -> {
                        Thread.sleep(100); // the loop is busy past both deadlines
                        sleep(1);
                        return null;
                    });
                } catch (TimeoutException expected) {
                    // as CPython's assertRaises: only a TimeoutException is caught; the outer
                    // deadline, if it passed too, leaves as a CancelledError
                }
                sleep(10); // interrupted by the outer deadline
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(outer[0].expired()).isTrue();
            return null;
        });
    }

    private LoopOptions realTimeOptions() {
        return StrictLoop.realTime().withEagerTasks(options().eagerTasks());
    }

    @Test
    void reschedule() {
        runVoid(() -> {
            EventLoop loop = getRunningLoop();
            Future<Timeout> fut = loop.createFuture();
            double deadline1 = loop.time() + 10;
            double deadline2 = deadline1 + 20;
            Task<Void> task = createTask(() -> timeoutAt(deadline1, cm -> {
                fut.setResult(cm);
                sleep(50);
                return null;
            }));
            Timeout cm = fut.await();
            assertThat(cm.when()).isEqualTo(deadline1);
            cm.reschedule(deadline2);
            assertThat(cm.when()).isEqualTo(deadline2);
            cm.reschedule(Double.POSITIVE_INFINITY);
            assertThat(cm.when()).isEqualTo(Double.POSITIVE_INFINITY);
            task.cancel();
            assertThatThrownBy(task::await).isInstanceOf(CancelledError.class);
            assertThat(cm.expired()).isFalse();
        });
    }

    /**
     * test_repr_active / _expired / _finished / _disabled. jasyncio's toString names the states
     * of its state table (entered, expired, exited) where CPython's repr says active, expired,
     * finished; the when= part appears while a deadline is set.
     */
    @Test
    void toStringShowsStateAndDeadline() {
        runVoid(() -> {
            timeout(Duration.ofSeconds(10), cm -> {
                assertThat(cm.toString()).matches("Timeout\\[entered, when=\\d+\\.\\d*\\]");
                return null;
            });
            Timeout[] expired = new Timeout[1];
            assertThatThrownBy(() -> timeout(TEN_MS, cm -> {
                expired[0] = cm;
                sleep(10);
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(expired[0].toString()).startsWith("Timeout[expired");
            Timeout[] finished = new Timeout[1];
            timeout(Duration.ofSeconds(10), cm -> {
                finished[0] = cm;
                sleep(0);
                return null;
            });
            assertThat(finished[0].toString()).startsWith("Timeout[exited");
            timeout(null, cm -> {
                assertThat(cm.toString()).isEqualTo("Timeout[entered]");
                return null;
            });
        });
    }

    @Test
    void nestedTimeoutInFinally() {
        runVoid(() -> assertThatThrownBy(() -> timeout(TEN_MS, () -> {
            try {
                sleep(1);
            } finally {
                assertThatThrownBy(() -> timeout(TEN_MS, () -> {
                    sleep(10);
                    return null;
                })).isInstanceOf(TimeoutException.class);
            }
            return null;
        })).isInstanceOf(TimeoutException.class));
    }

    @Test
    void timeoutAfterCancellation() {
        runVoid(() -> {
            try {
                currentTask().cancel();
                sleep(1); // work which will be cancelled
            } catch (CancelledError expected) {
                // swallowed on purpose, as the CPython test does
            } finally {
                assertThatThrownBy(() -> timeout(Duration.ZERO, () -> {
                    sleep(1); // some cleanup
                    return null;
                })).isInstanceOf(TimeoutException.class);
            }
        });
    }

    @Test
    void cancelInTimeoutAfterCancellation() {
        runVoid(() -> {
            try {
                currentTask().cancel();
                sleep(1);
            } catch (CancelledError expected) {
                // swallowed on purpose, as the CPython test does
            } finally {
                assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> {
                    currentTask().cancel();
                    sleep(2);
                    return null;
                })).isInstanceOf(CancelledError.class);
            }
        });
    }

    @Test
    void timeoutExceptionCauseIsTheCancellation() {
        runVoid(() -> {
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> timeout(Duration.ZERO, () -> {
                sleep(1);
                return null;
            }));
            assertThat(e).isNotNull();
            assertThat(e.getCause()).isInstanceOf(CancelledError.class);
        });
    }

    /** test_timeout_finished: the scope refuses reschedule() once its block has ended. */
    @Test
    void rescheduleAfterTheBlockEndedIsRefused() {
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            timeout(TEN_MS, scope -> {
                cm[0] = scope;
                return null;
            });
            assertThatThrownBy(() -> cm[0].reschedule(getRunningLoop().time() + 0.02))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited");
        });
    }

    @Test
    void rescheduleAfterExpiryIsRefused() {
        // test_timeout_expired
        runVoid(() -> {
            Timeout[] cm = new Timeout[1];
            assertThatThrownBy(() -> timeout(TEN_MS, scope -> {
                cm[0] = scope;
                sleep(1);
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThatThrownBy(() -> cm[0].reschedule(getRunningLoop().time() + 0.02))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expired");
        });
    }

    @Test
    void rescheduleWhileExpiringIsRefused() {
        // test_timeout_expiring: the block caught the deadline's CancelledError and goes on
        runVoid(() -> timeout(TEN_MS, cm -> {
            assertThatThrownBy(() -> sleep(1)).isInstanceOf(CancelledError.class);
            assertThatThrownBy(() -> cm.reschedule(getRunningLoop().time() + 0.02))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expiring");
            return null;
        }));
    }

    /**
     * test_timeout_taskgroup: the deadline interrupts the body's cleanup; the child fails while being
     * cancelled. The group's exception holds the child's failure only (never the expiry), and the
     * timeout lets it through unchanged.
     */
    @Test
    void timeoutAroundATaskGroup() {
        runVoid(() -> {
            TaskGroupException eg = catchThrowableOfType(TaskGroupException.class, () -> timeout(TEN_MS, () -> {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        try {
                            sleep(2); // interrupted after 0.01 s
                        } finally {
                            throw new ArithmeticException("/ by zero"); // crash in cleanup
                        }
                    });
                    try {
                        throw new IllegalArgumentException("CPython: ValueError");
                    } finally {
                        sleep(1);
                    }
                });
                return null;
            }));
            assertThat(eg).isNotNull();
            assertThat(eg.exceptions()).hasSize(1);
            assertThat(eg.exceptions().get(0)).isInstanceOf(ArithmeticException.class);
            assertThat(currentTask().cancelling()).isZero();
            sleep(0); // no cancellation is left over
        });
    }

    /** test_timeout_without_task: entering a timeout in a loop callback (no current task) is refused. */
    @Test
    void timeoutWithoutTaskIsRefused() {
        runVoid(() -> {
            Future<Throwable> refused = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> {
                try {
                    timeout(TEN_MS, () -> null);
                    refused.setResult(null);
                } catch (Throwable t) {
                    refused.setResult(t);
                }
            });
            assertThat(refused.await()).isInstanceOf(IllegalStateException.class).hasMessageContaining("task");
        });
    }
}
