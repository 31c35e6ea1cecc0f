package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentEffectiveDeadline;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutAt;
import static io.jasyncio.Asyncio.waitFor;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class TimeoutTest {

    /** The loop options every test runs with; {@link TimeoutEagerTest} runs them all with eager tasks. */
    LoopOptions options() {
        return TestLoop.options();
    }

    final <T> T run(Coroutine<T> body) {
        return TestLoop.run(options(), body);
    }

    @Test
    void expiredBlockThrowsTimeoutExceptionWhereItEnds() {
        run(() -> {
            double start = getRunningLoop().time();
            Timeout[] scope = new Timeout[1];
            Throwable[] seenInside = new Throwable[1];
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> timeout(Duration.ofSeconds(2), t -> {
                scope[0] = t;
                try {
                    sleep(3600);
                } catch (Throwable inside) {
                    seenInside[0] = inside;
                    throw inside;
                }
                return null;
            }));
            assertThat(e).isNotNull();
            assertThat(seenInside[0]).as("inside the block the deadline is a cancellation").isExactlyInstanceOf(CancelledError.class);
            assertThat(e.getCause()).isSameAs(seenInside[0]);
            assertThat(e.scope()).isSameAs(scope[0]);
            assertThat(scope[0].expired()).isTrue();
            assertThat(getRunningLoop().time() - start).isEqualTo(2.0);
            assertThat(currentTask().cancelling()).as("uncancel balanced the scope's cancel").isZero();
            return null;
        });
    }

    @Test
    void catchExceptionInsideTheBlockCannotSwallowTheDeadline() {
        run(() -> {
            List<String> log = new ArrayList<>();
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> {
                try {
                    sleep(3600);
                } catch (Exception swallowEverything) {
                    log.add("caught " + swallowEverything);
                }
                log.add("went on");
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(log).isEmpty();
            return null;
        });
    }

    @Test
    void blockThatFinishesInTimeReturnsItsValue() {
        run(() -> {
            String v = timeout(Duration.ofSeconds(5), t -> {
                sleep(1);
                assertThat(t.expired()).isFalse();
                return "done";
            });
            assertThat(v).isEqualTo("done");
            sleep(10); // the cancelled deadline must not fire later
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    /** The program: a per-request retry inside an overall deadline stops at the overall one. */
    @Test
    void outerDeadlineIsNotCaughtByAnInnerRetryLoop() {
        run(() -> {
            double start = getRunningLoop().time();
            int[] attempts = {0};
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> {
                while (true) {
                    try {
                        return waitFor(() -> {
                            attempts[0]++;
                            sleep(5); // a request that never answers in time
                            return "page";
                        }, Duration.ofMillis(300));
                    } catch (TimeoutException perRequest) {
                        // retry
                    }
                }
            })).isInstanceOf(TimeoutException.class);
            assertThat(getRunningLoop().time() - start).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(attempts[0]).isEqualTo(4);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void outsideCancellationRacingTheDeadlineWins() {
        run(() -> {
            Task<Object> t = createTask(() -> timeout(Duration.ofSeconds(1), () -> sleep(3600, null)));
            // Cancel from outside at the very moment the deadline passes.
            getRunningLoop().callLater(1.0, () -> t.cancel("outside"));
            assertThatThrownBy(t::await).isExactlyInstanceOf(CancelledError.class);
            assertThat(t.cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void outsideCancellationBeforeTheDeadlineIsACancellation() {
        run(() -> {
            Task<Object> t = createTask(() -> timeout(Duration.ofSeconds(10), () -> sleep(3600, null)));
            sleep(1);
            t.cancel();
            assertThatThrownBy(t::await).isExactlyInstanceOf(CancelledError.class);
            return null;
        });
    }

    @Test
    void cancelThenZeroTimeoutPropagatesTheCancellation() {
        run(() -> {
            for (boolean absolute : new boolean[] {false, true}) {
                List<String> log = new ArrayList<>();
                Task<Object> t = createTask(() -> {
                    currentTask().cancel("outside");
                    Coroutine<Object> body = () -> sleep(1, null);
                    try {
                        return absolute ? timeoutAt(getRunningLoop().time() - 1, body) : timeout(Duration.ZERO, body);
                    } catch (TimeoutException wrong) {
                        log.add("timeout");
                        sleep(1);
                        log.add("carried on");
                        return null;
                    }
                });
                assertThatThrownBy(t::await).isExactlyInstanceOf(CancelledError.class).hasMessage("outside");
                assertThat(log).isEmpty();
            }
            return null;
        });
    }

    @Test
    void nestedBlocksReportOnlyTheirOwnExpiry() {
        run(() -> {
            Timeout[] outer = new Timeout[1], inner = new Timeout[1];
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> timeout(Duration.ofSeconds(1), o -> {
                outer[0] = o;
                return timeout(Duration.ofSeconds(5), i -> {
                    inner[0] = i;
                    return sleep(3600, null);
                });
            }));
            assertThat(e.scope()).isSameAs(outer[0]);
            assertThat(outer[0].expired()).isTrue();
            assertThat(inner[0].expired()).isFalse();

            // The inner one expiring first is caught inside; the outer never expires.
            timeout(Duration.ofSeconds(10), o -> {
                TimeoutException innerExpiry = catchThrowableOfType(TimeoutException.class,
                        () -> timeout(Duration.ofSeconds(1), i -> {
                            inner[0] = i;
                            return sleep(3600, null);
                        }));
                assertThat(innerExpiry.scope()).isSameAs(inner[0]);
                assertThat(o.expired()).isFalse();
                return sleep(1, null);
            });
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void bothNestedBlocksExpiringAtOnceIsTheOuterOnesTimeout() {
        run(() -> {
            Timeout[] outer = new Timeout[1];
            Throwable[] leftInner = new Throwable[1];
            TimeoutException e = catchThrowableOfType(TimeoutException.class, () -> timeout(Duration.ofSeconds(1), o -> {
                outer[0] = o;
                try {
                    return timeout(Duration.ofSeconds(1), i -> sleep(3600, null));
                } catch (Throwable t) {
                    leftInner[0] = t;
                    throw t;
                }
            }));
            // asyncio: the inner __aexit__ sees two requests (its own and the outer's) and lets the
            // CancelledError through; the outer one converts it.
            assertThat(leftInner[0]).isExactlyInstanceOf(CancelledError.class);
            assertThat(e.scope()).isSameAs(outer[0]);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void rescheduleMovesTheDeadline() {
        run(() -> {
            EventLoop loop = getRunningLoop();
            double start = loop.time();
            assertThatThrownBy(() -> timeout(null, t -> {
                assertThat(t.when()).isInfinite();
                t.reschedule(loop.time() + 3);
                sleep(2);
                t.reschedule(loop.time() + 3); // pushed back: 5 s in total
                sleep(2.5);
                assertThat(t.expired()).isFalse();
                return sleep(3600, null);
            })).isInstanceOf(TimeoutException.class);
            assertThat(loop.time() - start).isEqualTo(5.0, org.assertj.core.data.Offset.offset(1e-6));
            return null;
        });
    }

    @Test
    void deadlineInThePastExpiresAtTheNextSuspensionAndKeepsItsTime() {
        run(() -> {
            double now = getRunningLoop().time();
            Timeout[] scope = new Timeout[1];
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(-5), t -> {
                scope[0] = t;
                yieldNow();
                yieldNow();
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(scope[0].when()).as("a negative timeout keeps its deadline in the past").isEqualTo(now - 5,
                    org.assertj.core.data.Offset.offset(1e-6));
            assertThatThrownBy(() -> timeoutAt(getRunningLoop().time() - 1, () -> {
                yieldNow();
                return null;
            })).isInstanceOf(TimeoutException.class);
            return null;
        });
    }

    @Test
    void deadlinesAreExactInLoopNanoseconds() {
        run(() -> {
            EventLoop loop = getRunningLoop();
            long start = loop.nowNanos();
            assertThatThrownBy(() -> timeout(Duration.ofNanos(1_000_000_007), () -> sleep(3600, null)))
                    .isInstanceOf(TimeoutException.class);
            assertThat(loop.nowNanos() - start).isEqualTo(1_000_000_007L);
            return null;
        });
    }

    @Test
    void rescheduleAfterExpiryIsRefused() {
        run(() -> {
            Timeout[] scope = new Timeout[1];
            try {
                timeout(Duration.ofMillis(10), t -> {
                    scope[0] = t;
                    return sleep(1, null);
                });
            } catch (TimeoutException expected) {
                // fine
            }
            assertThatThrownBy(() -> scope[0].reschedule(100)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expired");
            return null;
        });
    }

    @Test
    void timeoutOutsideATaskIsRefused() {
        assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a jasyncio task");
    }

    @Test
    void effectiveDeadlineIsTheEarliestOfTheEnclosingBlocks() {
        run(() -> {
            EventLoop loop = getRunningLoop();
            assertThat(currentEffectiveDeadline()).isInfinite();
            double start = loop.time();
            timeout(Duration.ofSeconds(10), () -> timeout(Duration.ofSeconds(30), () -> {
                assertThat(currentEffectiveDeadline()).isEqualTo(start + 10, org.assertj.core.data.Offset.offset(1e-6));
                return timeout(Duration.ofSeconds(2), () -> {
                    assertThat(currentEffectiveDeadline()).isEqualTo(start + 2, org.assertj.core.data.Offset.offset(1e-6));
                    return null;
                });
            }));
            assertThat(currentEffectiveDeadline()).isInfinite();
            return null;
        });
    }

    // ---------------------------------------------------------------- around task groups (issue: deadlines compose)

    @Test
    void timeoutAroundAFailingTaskGroupReportsOnlyTheChildsError() {
        run(() -> {
            IllegalStateException boom = new IllegalStateException("child failed");
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> timeout(Duration.ofSeconds(5), () -> {
                TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        sleep(1);
                        throw boom;
                    });
                    tg.createTask(() -> sleep(3600, null));
                    sleep(3600);
                });
                return null;
            }));
            assertThat(e.exceptions()).containsExactly(boom);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void timeoutAroundASlowTaskGroupEndsAtTheDeadlineInBothForms() {
        run(() -> {
            for (boolean lambdaForm : new boolean[] {true, false}) {
                double start = getRunningLoop().time();
                Task<?>[] child = new Task<?>[1];
                List<String> cleanedUp = new ArrayList<>();
                assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> {
                    TaskGroup.Body body = tg -> child[0] = tg.createTask(() -> {
                        try {
                            return sleep(5, null);
                        } finally {
                            cleanedUp.add("child");
                        }
                    });
                    if (lambdaForm) {
                        TaskGroup.run(body);
                    } else {
                        try (TaskGroup tg = new TaskGroup()) {
                            body.run(tg);
                        }
                    }
                    return null;
                })).isInstanceOf(TimeoutException.class);
                assertThat(getRunningLoop().time() - start).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(child[0].cancelled()).isTrue();
                assertThat(cleanedUp).containsExactly("child");
                assertThat(currentTask().cancelling()).isZero();
            }
            return null;
        });
    }

    @Test
    void timeoutAroundQueueWorkersInAGroupCancelsTheWorkers() {
        run(() -> {
            double start = getRunningLoop().time();
            Queue<Integer> jobs = new Queue<>();
            List<Integer> done = new ArrayList<>();
            assertThatThrownBy(() -> timeout(Duration.ofSeconds(1), () -> {
                TaskGroup.run(tg -> {
                    for (int w = 0; w < 3; w++) {
                        tg.createTask(() -> {
                            for (int job : jobs) {
                                sleep(0.4);
                                done.add(job);
                            }
                            return null;
                        });
                    }
                    for (int i = 0; i < 6; i++) {
                        jobs.put(i);
                    }
                });
                return null;
            })).isInstanceOf(TimeoutException.class);
            assertThat(getRunningLoop().time() - start).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(done).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            return null;
        });
    }

    @Test
    void waitForAroundATaskGroupEndsAtTheDeadline() {
        run(() -> {
            double start = getRunningLoop().time();
            Task<?>[] child = new Task<?>[1];
            assertThatThrownBy(() -> waitFor(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    child[0] = tg.createTask(() -> sleep(5, null));
                }
                return null;
            }, Duration.ofSeconds(1))).isInstanceOf(TimeoutException.class);
            assertThat(getRunningLoop().time() - start).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(child[0].cancelled()).isTrue();
            return null;
        });
    }
}
