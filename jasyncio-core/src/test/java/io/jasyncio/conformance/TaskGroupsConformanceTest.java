package io.jasyncio.conformance;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.jasyncio.CancelledError;
import io.jasyncio.Event;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TaskGroupException;
import io.jasyncio.TimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code test_taskgroups.py}. {@code async with TaskGroup() as g} is
 * {@link TaskGroup#run} (the form with asyncio's rules); a few tests run the try-with-resources
 * form too where the CPython test's point survives it (a cancellation reaching {@code close()}).
 * {@code ExceptionGroup} is {@link TaskGroupException}, {@code ZeroDivisionError}
 * {@link ArithmeticException}, {@code ValueError} {@link IllegalArgumentException},
 * {@code RuntimeError} {@link IllegalStateException}, and a {@code BaseException} that is not an
 * {@code Exception} is a Java {@link Error} ({@link MyError}).
 */
class TaskGroupsConformanceTest extends ConformanceTestBase {

    /** CPython's MyExc. */
    static final class MyException extends RuntimeException {
        MyException() {
            super("my exception");
        }
    }

    /** CPython's MyBaseExc: a BaseException that is not an Exception. */
    static final class MyError extends Error {
        MyError() {
            super("my error");
        }
    }

    /** CPython's {@code get_error_types}. */
    static Set<Class<?>> errorTypes(TaskGroupException group) {
        Set<Class<?>> types = new LinkedHashSet<>();
        group.exceptions().forEach(e -> types.add(e.getClass()));
        return types;
    }

    /** CPython's {@code 1 / 0}. */
    static <T> T divideByZero() {
        throw new ArithmeticException("/ by zero");
    }

    static Void crashAfter(double seconds) {
        sleep(seconds);
        throw new IllegalArgumentException(String.valueOf(seconds));
    }

    /** test_taskgroup_01: the group's block ends once every child is done. */
    @Test
    void groupWaitsForItsChildren() {
        runVoid(() -> {
            Task<?>[] t = new Task<?>[2];
            TaskGroup.run(g -> {
                t[0] = g.createTask(() -> sleep(0.1, 42));
                t[1] = g.createTask(() -> sleep(0.2, 11));
            });
            assertThat(t[0].result()).isEqualTo(42);
            assertThat(t[1].result()).isEqualTo(11);
        });
    }

    /** test_taskgroup_01 in the try-with-resources form. */
    @Test
    void groupWaitsForItsChildrenTryWithResources() {
        runVoid(() -> {
            Task<Integer> t1, t2;
            try (TaskGroup g = new TaskGroup()) {
                t1 = g.createTask(() -> sleep(0.1, 42));
                t2 = g.createTask(() -> sleep(0.2, 11));
            }
            assertThat(t1.result()).isEqualTo(42);
            assertThat(t2.result()).isEqualTo(11);
        });
    }

    /** test_taskgroup_02: a child created after the body suspended is awaited too. */
    @Test
    void childCreatedAfterASuspensionIsAwaitedToo() {
        runVoid(() -> {
            Task<?>[] t = new Task<?>[2];
            TaskGroup.run(g -> {
                t[0] = g.createTask(() -> sleep(0.1, 42));
                sleep(0.15);
                t[1] = g.createTask(() -> sleep(0.2, 11));
            });
            assertThat(t[0].result()).isEqualTo(42);
            assertThat(t[1].result()).isEqualTo(11);
        });
    }

    /** test_taskgroup_03: cancelling one child explicitly does not disturb the group. */
    @Test
    void cancellingOneChildLeavesTheGroupRunning() {
        runVoid(() -> {
            Task<?>[] t = new Task<?>[2];
            TaskGroup.run(g -> {
                t[0] = g.createTask(() -> sleep(1, 42));
                sleep(0.15);
                t[0].cancel();
                t[1] = g.createTask(() -> sleep(0.2, 11));
            });
            assertThat(t[0].cancelled()).isTrue();
            assertThat(t[1].result()).isEqualTo(11);
        });
    }

    /** test_taskgroup_04: a child's failure cancels its sibling and skips the code after the group. */
    @Test
    void childFailureCancelsSiblingAndSkipsCodeAfterTheGroup() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            boolean[] t2Cancel = {false};
            Task<?>[] t2 = new Task<?>[1];
            Task<Void> runner = createTask(() -> {
                TaskGroup.run(g -> {
                    g.createTask(() -> {
                        sleep(0.1);
                        return divideByZero();
                    });
                    t2[0] = g.createTask(() -> {
                        try {
                            sleep(1);
                        } catch (CancelledError e) {
                            t2Cancel[0] = true;
                            throw e;
                        }
                        num.addAndGet(1);
                        return null;
                    });
                });
                num.addAndGet(10);
                return null;
            });
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, runner::await);
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(num.get()).isZero();
            assertThat(t2Cancel[0]).isTrue();
            assertThat(t2[0].cancelled()).isTrue();
        });
    }

    /**
     * test_taskgroup_04 in the try-with-resources form: the body is not interrupted (it has
     * nothing left to do here), close() waits, cancels the sibling and throws the group's exception.
     */
    @Test
    void childFailureCancelsSiblingAndSkipsCodeAfterTheGroupTryWithResources() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<?>[] t2 = new Task<?>[1];
            Task<Void> runner = createTask(() -> {
                try (TaskGroup g = new TaskGroup()) {
                    g.createTask(() -> {
                        sleep(0.1);
                        return divideByZero();
                    });
                    t2[0] = g.createTask(() -> {
                        sleep(1);
                        num.addAndGet(1);
                        return null;
                    });
                }
                num.addAndGet(10);
                return null;
            });
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, runner::await);
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(num.get()).isZero();
            assertThat(t2[0].cancelled()).isTrue();
        });
    }

    @Test
    void cancelChildrenOnChildError() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            boolean[] t2Cancel = {false};
            boolean[] runnerCancel = {false};
            Task<Void> runner = createTask(() -> {
                TaskGroup.run(g -> {
                    for (int i = 0; i < 3; i++) {
                        g.createTask(() -> {
                            sleep(0.1);
                            return divideByZero();
                        });
                    }
                    g.createTask(() -> {
                        try {
                            sleep(5);
                        } catch (CancelledError e) {
                            t2Cancel[0] = true;
                            throw e;
                        }
                        num.addAndGet(1);
                        return null;
                    });
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        runnerCancel[0] = true;
                        throw e;
                    }
                });
                num.addAndGet(10);
                return null;
            });
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, runner::await);
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(num.get()).isZero();
            assertThat(t2Cancel[0]).isTrue();
            assertThat(runnerCancel[0]).isTrue();
        });
    }

    /** test_cancellation: cancelling the task waiting at the end of the group cancels every child. */
    @Test
    void cancellation() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    for (int i = 0; i < 5; i++) {
                        g.createTask(() -> countCancellation(num, 5));
                    }
                });
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
            assertThat(num.get()).isEqualTo(5);
        });
    }

    /** test_cancellation in the try-with-resources form: the cancellation reaches the task in close(). */
    @Test
    void cancellationTryWithResources() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> {
                try (TaskGroup g = new TaskGroup()) {
                    for (int i = 0; i < 5; i++) {
                        g.createTask(() -> countCancellation(num, 5));
                    }
                }
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
            assertThat(num.get()).isEqualTo(5);
        });
    }

    private static Void countCancellation(AtomicInteger num, double sleepSeconds) {
        try {
            sleep(sleepSeconds);
        } catch (CancelledError e) {
            num.incrementAndGet();
            throw e;
        }
        return null;
    }

    /** test_taskgroup_07: an outside cancel reaches the body and every child. */
    @Test
    void outsideCancelReachesBodyAndEveryChild() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    for (int i = 0; i < 5; i++) {
                        g.createTask(() -> countCancellation(num, 5));
                    }
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        num.addAndGet(10);
                        throw e;
                    }
                });
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
            assertThat(num.get()).isEqualTo(15);
        });
    }

    /** test_taskgroup_07 in the try-with-resources form: an outside cancel reaches the body and, through close(), every child. */
    @Test
    void outsideCancelReachesBodyAndEveryChildTryWithResources() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> {
                try (TaskGroup g = new TaskGroup()) {
                    for (int i = 0; i < 5; i++) {
                        g.createTask(() -> countCancellation(num, 5));
                    }
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        num.addAndGet(10);
                        throw e;
                    }
                }
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
            assertThat(num.get()).isEqualTo(15);
        });
    }

    private static Void failWhenCancelled() {
        try {
            sleep(10);
        } finally {
            divideByZero();
        }
        return null;
    }

    /** test_taskgroup_08: children failing while being cancelled: the failures win over the cancellation. */
    @Test
    void childrenFailingWhileCancelledWinOverTheCancellation() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    for (int i = 0; i < 5; i++) {
                        g.createTask(TaskGroupsConformanceTest::failWhenCancelled);
                    }
                    sleep(10);
                });
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
        });
    }

    /** test_taskgroup_09: the body fails after a suspension; the children are cancelled. */
    @Test
    void bodyFailureAfterASuspensionCancelsTheChildren() {
        runVoid(() -> {
            Task<?>[] t = new Task<?>[2];
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(g -> {
                t[0] = g.createTask(() -> sleep(1, 42));
                t[1] = g.createTask(() -> sleep(2, 11));
                sleep(0.1);
                divideByZero();
            }));
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(t[0].cancelled()).isTrue();
            assertThat(t[1].cancelled()).isTrue();
        });
    }

    /** test_taskgroup_10: the body fails before any suspension; the children are cancelled. */
    @Test
    void bodyFailureBeforeAnySuspensionCancelsTheChildren() {
        runVoid(() -> {
            Task<?>[] t = new Task<?>[2];
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(g -> {
                t[0] = g.createTask(() -> sleep(1, 42));
                t[1] = g.createTask(() -> sleep(2, 11));
                divideByZero();
            }));
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(t[0].cancelled()).isTrue();
            assertThat(t[1].cancelled()).isTrue();
        });
    }

    /** test_taskgroup_11: nested groups cancelled from outside; the inner group's failures arrive nested. */
    @Test
    void nestedGroupsCancelledFromOutsideNestTheInnerFailures() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g1 -> TaskGroup.run(g2 -> {
                    for (int i = 0; i < 5; i++) {
                        g2.createTask(TaskGroupsConformanceTest::failWhenCancelled);
                    }
                    sleep(10);
                }));
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(TaskGroupException.class);
            assertThat(errorTypes((TaskGroupException) e.exceptions().get(0))).containsExactly(ArithmeticException.class);
        });
    }

    /** test_taskgroup_12: as 11, with a sleeping child in the outer group. */
    @Test
    void nestedGroupsWithASleepingOuterChildNestTheInnerFailures() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g1 -> {
                    g1.createTask(() -> {
                        sleep(10);
                        return null;
                    });
                    TaskGroup.run(g2 -> {
                        for (int i = 0; i < 5; i++) {
                            g2.createTask(TaskGroupsConformanceTest::failWhenCancelled);
                        }
                        sleep(10);
                    });
                });
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(TaskGroupException.class);
            assertThat(errorTypes((TaskGroupException) e.exceptions().get(0))).containsExactly(ArithmeticException.class);
        });
    }

    /** test_taskgroup_13: the outer group's child fails first; the inner group is cancelled quietly. */
    @Test
    void outerChildFailingFirstCancelsTheInnerGroupQuietly() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g1 -> {
                    g1.createTask(() -> crashAfter(0.1));
                    TaskGroup.run(g2 -> g2.createTask(() -> crashAfter(10)));
                });
                return null;
            });
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(IllegalArgumentException.class);
        });
    }

    /** test_taskgroup_14: the inner group's child fails first; its group arrives nested in the outer one. */
    @Test
    void innerChildFailingFirstArrivesNestedInTheOuterGroup() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g1 -> {
                    g1.createTask(() -> crashAfter(10));
                    TaskGroup.run(g2 -> g2.createTask(() -> crashAfter(0.1)));
                });
                return null;
            });
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(TaskGroupException.class);
            assertThat(errorTypes((TaskGroupException) e.exceptions().get(0))).containsExactly(IllegalArgumentException.class);
        });
    }

    private static void crashSoonGroupWithSlowCancelledBody() {
        TaskGroup.run(g1 -> {
            g1.createTask(() -> {
                sleep(0.3);
                return divideByZero();
            });
            try {
                sleep(10);
            } catch (CancelledError e) {
                sleep(0.5);
                throw e;
            }
        });
    }

    /** test_taskgroup_15: a child fails while the cancelled body still unwinds: the failure wins. */
    @Test
    void childFailureWhileTheCancelledBodyUnwindsWins() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                crashSoonGroupWithSlowCancelledBody();
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
        });
    }

    /** test_taskgroup_16: as 15, with the group one task further down. */
    @Test
    void childFailureWhileTheCancelledBodyUnwindsWinsOneTaskDown() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                Task<Void> t = createTask(() -> {
                    crashSoonGroupWithSlowCancelledBody();
                    return null;
                });
                return t.await();
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
        });
    }

    /** test_taskgroup_17: an empty group whose body is cancelled from outside. */
    @Test
    void emptyGroupWhoseBodyIsCancelledPropagatesTheCancellation() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        num.addAndGet(10);
                        throw e;
                    }
                });
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
            assertThat(num.get()).isEqualTo(10);
        });
    }

    /** test_taskgroup_18: a body that turns its cancellation into an exception gets a group of it. */
    @Test
    void bodyTurningItsCancellationIntoAnExceptionIsGrouped() {
        runVoid(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    try {
                        sleep(10);
                    } catch (CancelledError e) {
                        num.addAndGet(10);
                        throw new MyException(); // a bad idea, but supported
                    }
                });
                return null;
            });
            sleep(0.1);
            assertThat(r.done()).isFalse();
            r.cancel();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactly(MyException.class);
            assertThat(num.get()).isEqualTo(10);
        });
    }

    /** test_taskgroup_19: the body's own failure (raised while it is cancelled) joins the child's. */
    @Test
    void bodyFailureWhileCancelledJoinsTheChildFailure() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    g.createTask(() -> {
                        sleep(0.1);
                        return divideByZero();
                    });
                    try {
                        sleep(10);
                    } finally {
                        throw new MyException();
                    }
                });
                return null;
            });
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, r::await);
            assertThat(errorTypes(e)).containsExactlyInAnyOrder(MyException.class, ArithmeticException.class);
        });
    }

    /** test_taskgroup_20a: a non-Exception throwable from the body is grouped like any failure. */
    @Test
    void nonExceptionThrowableFromTheBodyIsGrouped() {
        runVoid(() -> {
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(0.1);
                    return divideByZero();
                });
                try {
                    sleep(10);
                } finally {
                    throw new MyError();
                }
            }));
            assertThat(errorTypes(e)).containsExactlyInAnyOrder(MyError.class, ArithmeticException.class);
        });
    }

    /** test_taskgroup_21a: a child's non-Exception throwable is grouped with the body's failure. */
    @Test
    void nonExceptionThrowableFromAChildIsGroupedWithTheBodyFailure() {
        runVoid(() -> {
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(0.1);
                    throw new MyError();
                });
                try {
                    sleep(10);
                } finally {
                    throw new ClassCastException("CPython: TypeError");
                }
            }));
            assertThat(errorTypes(e)).containsExactlyInAnyOrder(MyError.class, ClassCastException.class);
        });
    }

    /** test_taskgroup_22: cancelling the task that waits for two children at the end of the block. */
    @Test
    void cancellingTheTaskWaitingAtTheEndCancelsTheChildren() {
        runVoid(() -> {
            Task<Void> r = createTask(() -> {
                TaskGroup.run(g -> {
                    g.createTask(() -> sleep(1, 42));
                    g.createTask(() -> sleep(2, 11));
                });
                return null;
            });
            sleep(0.05);
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
        });
    }

    /**
     * test_taskgroup_23: finished children leave the group at once. CPython counts the private
     * {@code _tasks}; jasyncio's {@code toString()} shows the same count as {@code tasks=N}.
     */
    @Test
    void finishedChildrenLeaveTheGroup() {
        runVoid(() -> TaskGroup.run(g -> {
            for (int count = 0; count < 10; count++) {
                sleep(0.1);
                g.createTask(() -> sleep(0.3, null));
                if (count == 5) {
                    assertThat(childCount(g)).isLessThan(5);
                }
            }
            sleep(1.35);
            assertThat(childCount(g)).isZero();
        }));
    }

    private static int childCount(TaskGroup g) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("tasks=(\\d+)").matcher(g.toString());
        assertThat(m.find()).as("toString shows the number of children: %s", g).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** test_taskgroup_24: a child adds children to its own group. */
    @Test
    void childAddsChildrenToItsOwnGroup() {
        runVoid(() -> TaskGroup.run(g -> g.createTask(() -> {
            sleep(0.1);
            g.createTask(() -> sleep(0.1, null));
            g.createTask(() -> sleep(0.2, null));
            return null;
        })));
    }

    /** test_taskgroup_25: children that keep spawning children are all cancelled when one fails. */
    @Test
    void childrenSpawningChildrenAreAllCancelledWhenOneFails() {
        runVoid(() -> {
            AtomicInteger nhydras = new AtomicInteger();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> hydra(g, nhydras));
                g.createTask(() -> {
                    while (nhydras.get() < 10) {
                        sleep(0.015);
                    }
                    return divideByZero();
                });
            }));
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(nhydras.get()).isGreaterThanOrEqualTo(10);
        });
    }

    private static Void hydra(TaskGroup g, AtomicInteger nhydras) {
        nhydras.incrementAndGet();
        sleep(0.01);
        g.createTask(() -> hydra(g, nhydras));
        g.createTask(() -> hydra(g, nhydras));
        return null;
    }

    @Test
    void taskgroupTaskName() {
        runVoid(() -> TaskGroup.run(g -> {
            Task<Void> t = g.createTask("yolo", () -> sleep(0, null));
            assertThat(t.getName()).isEqualTo("yolo");
        }));
    }

    @Test
    void taskgroupNoCreateTaskAfterFailure() {
        runVoid(() -> {
            boolean[] refused = {false};
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(0.001);
                    return divideByZero();
                });
                g.createTask(() -> {
                    try {
                        sleep(1);
                    } catch (CancelledError cancelled) {
                        assertThat(catchThrowable(() -> g.createTask(() -> divideByZero())))
                                .isInstanceOf(IllegalStateException.class);
                        refused[0] = true;
                    }
                    return null;
                });
            }));
            assertThat(errorTypes(e)).containsExactly(ArithmeticException.class);
            assertThat(refused[0]).isTrue();
        });
    }

    /**
     * test_taskgroup_context_manager_exit_raises (gh-95289): a cleanup block inside the group
     * (CPython: an async context manager whose exit raises) fails while the body is cancelled on
     * the group's behalf; both failures are grouped and no cancellation request is left over.
     */
    @Test
    void taskgroupContextManagerExitRaises() {
        runVoid(() -> {
            Task<Void> main = createTask(() -> {
                Task<?> task = currentTask();
                TaskGroupException err = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                    try {
                        tg.createTask(() -> {
                            throw new MyException();
                        });
                        sleep(1);
                    } finally {
                        throw new MyException();
                    }
                }));
                assertThat(err).as("MyException not raised").isNotNull();
                assertThat(task.cancelling()).isZero();
                assertThat(err.exceptions()).hasSize(2);
                return null;
            });
            main.await();
        });
    }

    /** test_taskgroup_finished and test_coro_closed_when_tg_closed: no new child once the group ended. */
    @Test
    void taskgroupFinishedRefusesNewTasks() {
        runVoid(() -> {
            TaskGroup[] tg = new TaskGroup[1];
            TaskGroup.run(g -> tg[0] = g);
            assertThat(catchThrowable(() -> tg[0].createTask(() -> sleep(0, null))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("finished");
        });
    }

    /** test_taskgroup_without_parent_task: a group needs a task to belong to. */
    @Test
    void taskgroupWithoutParentTaskIsRefused() {
        runVoid(() -> {
            Future<Throwable> refused = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> refused.setResult(catchThrowable(() -> TaskGroup.run(g -> {}))));
            assertThat(refused.await()).isInstanceOf(IllegalStateException.class).hasMessageContaining("task");
            Future<Throwable> refusedTwr = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> refusedTwr.setResult(catchThrowable(TaskGroup::new)));
            assertThat(refusedTwr.await()).isInstanceOf(IllegalStateException.class).hasMessageContaining("task");
        });
    }

    @Test
    void cancellingLevelPreserved() {
        runVoid(() -> {
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg ->
                    tg.createTask(() -> {
                        sleep(0.0);
                        throw new IllegalStateException("RuntimeError");
                    })));
            assertThat(errorTypes(e)).containsExactly(IllegalStateException.class);
            assertThat(currentTask().cancelling()).isZero();
        });
    }

    @Test
    void nestedGroupsBothCancelled() {
        runVoid(() -> {
            Throwable outer = catchThrowable(() -> TaskGroup.run(outerTg -> {
                Throwable inner = catchThrowable(() -> TaskGroup.run(innerTg -> {
                    innerTg.createTask(() -> raiseAfter(0, new IllegalStateException("RuntimeError")));
                    outerTg.createTask(() -> raiseAfter(0, new IllegalArgumentException("ValueError")));
                }));
                assertThat(inner).as("RuntimeError not raised").isInstanceOf(TaskGroupException.class);
                assertThat(errorTypes((TaskGroupException) inner)).containsExactly(IllegalStateException.class);
                assertThat(currentTask().cancelling()).isEqualTo(1);
            }));
            assertThat(outer).as("ValueError not raised").isInstanceOf(TaskGroupException.class);
            assertThat(errorTypes((TaskGroupException) outer)).containsExactly(IllegalArgumentException.class);
            assertThat(currentTask().cancelling()).isZero();
        });
    }

    /**
     * test_nested_groups_both_cancelled in the try-with-resources form (issue 10, 1.6): after the
     * inner group's error is caught, the outer group still raises its own child's error. The
     * bodies are not cancelled in this form, so CPython's cancelling() == 1 inside the outer
     * group does not apply; no request is left over afterwards.
     */
    @Test
    void nestedGroupsBothCancelledTryWithResources() {
        runVoid(() -> {
            Throwable outer = catchThrowable(() -> {
                try (TaskGroup outerTg = new TaskGroup()) {
                    Throwable inner = catchThrowable(() -> {
                        try (TaskGroup innerTg = new TaskGroup()) {
                            innerTg.createTask(() -> raiseAfter(0, new IllegalStateException("RuntimeError")));
                            outerTg.createTask(() -> raiseAfter(0, new IllegalArgumentException("ValueError")));
                        }
                    });
                    assertThat(inner).as("RuntimeError not raised").isInstanceOf(TaskGroupException.class);
                    assertThat(errorTypes((TaskGroupException) inner)).containsExactly(IllegalStateException.class);
                }
            });
            assertThat(outer).as("ValueError not raised").isInstanceOf(TaskGroupException.class);
            assertThat(errorTypes((TaskGroupException) outer)).containsExactly(IllegalArgumentException.class);
            assertThat(currentTask().cancelling()).isZero();
        });
    }

    /** test_taskgroup_22 in the try-with-resources form: the task waiting in close() is cancelled. */
    @Test
    void cancellingTheTaskWaitingInCloseCancelsTheChildrenTryWithResources() {
        runVoid(() -> {
            double t0 = getRunningLoop().time();
            Task<?>[] children = new Task<?>[2];
            Task<Void> r = createTask(() -> {
                try (TaskGroup g = new TaskGroup()) {
                    children[0] = g.createTask(() -> sleep(1, 42));
                    children[1] = g.createTask(() -> sleep(2, 11));
                }
                return null;
            });
            sleep(0.05);
            r.cancel();
            assertThat(catchThrowable(r::await)).isInstanceOf(CancelledError.class);
            assertThat(getRunningLoop().time() - t0).as("cancelled at once, not after the children's 2 s").isLessThan(1);
            assertThat(children[0].cancelled()).isTrue();
            assertThat(children[1].cancelled()).isTrue();
        });
    }

    private static Void raiseAfter(double seconds, RuntimeException e) {
        sleep(seconds);
        throw e;
    }

    /** test_error_and_cancel: an outside cancel during a failing group stays pending after it. */
    @Test
    void errorAndCancel() {
        runVoid(() -> {
            Event event = new Event();
            Task<Void> t = createTask(() -> {
                TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        event.set();
                        sleep(0);
                        throw new IllegalStateException("RuntimeError");
                    });
                    sleep(1);
                    fail("Sleep in group should have been cancelled");
                }));
                assertThat(e).isNotNull();
                assertThat(errorTypes(e)).containsExactly(IllegalStateException.class);
                assertThat(currentTask().cancelling()).isEqualTo(1);
                sleep(1);
                fail("Sleep after group should have been cancelled");
                return null;
            });
            event.await();
            assertThat(t.cancelling()).isZero();
            t.cancel();
            assertThat(t.cancelling()).isEqualTo(1);
            assertThat(catchThrowable(t::await)).isInstanceOf(CancelledError.class);
            assertThat(t.cancelled()).isTrue();
        });
    }

    /**
     * test_exception_refcycles_propagate_cancellation_error, for what survives in Java (no
     * reference counting): a deadline already passed around a group gives a TimeoutException
     * whose cause is the CancelledError.
     */
    @Test
    void expiredTimeoutAroundAGroupHasTheCancellationAsCause() {
        runVoid(() -> {
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> timeout(Duration.ofSeconds(-1), () -> {
                TaskGroup.run(tg -> sleep(0));
                return null;
            }));
            assertThat(e).isNotNull();
            assertThat(e.getCause()).isInstanceOf(CancelledError.class);
        });
    }

    @Test
    void nameOfAChildIsSeenInsideIt() {
        // test_name
        runVoid(() -> {
            String[] name = new String[1];
            TaskGroup.run(tg -> tg.createTask("example name", () -> {
                name[0] = currentTask().getName();
                return null;
            }));
            assertThat(name[0]).isEqualTo("example name");
        });
    }

    /** gh-128550: a child created by a child that aborts the group is cancelled, and the second child sees it. */
    @Test
    void cancelsTaskIfCreatedDuringCreation() {
        runVoid(() -> {
            boolean[] ran = {false};
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg ->
                    tg.createTask(() -> {
                        tg.createTask(() -> {
                            throw new MyException();
                        });
                        try {
                            sleep(0); // eager tasks cancel here
                            sleep(0); // lazy tasks cancel here
                            fail("the second task was not cancelled");
                        } catch (CancelledError expected) {
                            // as CPython's assertRaises(CancelledError)
                        }
                        ran[0] = true;
                        return null;
                    })));
            assertThat(ran[0]).isTrue();
            assertThat(e).isNotNull();
            assertThat(e.exceptions().get(0)).isInstanceOf(MyException.class);
        });
    }

    @Test
    void cancellationDoesNotLeakOutOfTg() {
        runVoid(() -> {
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg ->
                    tg.createTask(() -> {
                        throw new MyException();
                    })));
            assertThat(e).as("should have raised one MyException in group").isNotNull();
            assertThat(errorTypes(e)).containsExactly(MyException.class);
            yieldNow(); // a leaked cancellation would be thrown here
        });
    }
}
