package io.jasyncio;

import static io.jasyncio.Asyncio.asCompleted;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.gatherSettled;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.shield;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.waitFor;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CombinatorsTest {

    private static Coroutine<Integer> after(double seconds, int value) {
        return () -> {
            sleep(seconds);
            return value;
        };
    }

    // ---------------------------------------------------------------- gather

    @Test
    void gatherReturnsResultsInTheGivenOrderAndRunsConcurrently() {
        TestLoop.run(() -> {
            double start = getRunningLoop().time();
            List<Integer> r = gather(after(3, 1), after(1, 2), after(2, 3));
            assertThat(r).containsExactly(1, 2, 3);
            assertThat(getRunningLoop().time() - start).isBetween(3.0, 3.1);
            assertThat(Asyncio.<Integer>gather(List.<Future<Integer>>of())).isEmpty();
            return null;
        });
    }

    @Test
    void gatherThrowsTheFirstFailureWhileTheOthersKeepRunning() {
        TestLoop.run(() -> {
            Task<Integer> slow = createTask(after(5, 1));
            Task<Integer> failing = createTask(() -> {
                sleep(1);
                throw new IllegalStateException("first");
            });
            assertThatThrownBy(() -> gather(List.of(slow, failing))).hasMessage("first");
            assertThat(slow.done()).isFalse();
            assertThat(slow.await()).isEqualTo(1);
            return null;
        });
    }

    @Test
    void cancellingTheGatheringTaskCancelsEveryChild() {
        TestLoop.run(() -> {
            Task<Integer> a = createTask(after(100, 1));
            Task<Integer> b = createTask(after(100, 2));
            Task<List<Integer>> g = createTask(() -> gather(List.of(a, b)));
            sleep(1);
            g.cancel();
            assertThatThrownBy(g::await).isInstanceOf(CancelledError.class);
            assertThat(a.cancelled()).isTrue();
            assertThat(b.cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void gatherSettledReportsEveryOutcome() {
        TestLoop.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<Integer> cancelled = createTask(after(100, 0));
            Task<Integer> ok = createTask(after(1, 7));
            Task<Integer> bad = createTask(() -> {
                throw boom;
            });
            getRunningLoop().callLater(0.5, cancelled::cancel);
            List<Outcome<Integer>> out = gatherSettled(List.of(ok, bad, cancelled));
            assertThat(out.get(0)).isEqualTo(new Outcome.Success<>(7));
            assertThat(out.get(1)).isEqualTo(new Outcome.Failure<Integer>(boom));
            assertThat(((Outcome.Failure<Integer>) out.get(2)).exception()).isInstanceOf(CancelledError.class);
            assertThat(out.get(0).getOrThrow()).isEqualTo(7);
            assertThatThrownBy(out.get(1)::getOrThrow).isSameAs(boom);
            return null;
        });
    }

    @Test
    void gatherRefusesNullAndForeignFutures() {
        try (EventLoop other = new EventLoop(TestLoop.options())) {
            Future<Integer> foreign = other.createFuture();
            TestLoop.run(() -> {
                assertThatThrownBy(() -> gather(List.of(foreign))).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> gather((Coroutine<Integer>) null)).isInstanceOf(NullPointerException.class);
                return null;
            });
        }
    }

    // ---------------------------------------------------------------- waitFor

    @Test
    void waitForReturnsInTimeOrThrowsAndCancelsTheTask() {
        TestLoop.run(() -> {
            assertThat(waitFor(after(1, 5), Duration.ofSeconds(2))).isEqualTo(5);
            Task<Integer> slow = createTask(after(10, 5));
            assertThatThrownBy(() -> waitFor(slow, Duration.ofSeconds(2))).isInstanceOf(TimeoutException.class);
            assertThat(slow.cancelled()).isTrue();
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void waitForKeepsAResultThatRacesTheDeadline() {
        TestLoop.run(() -> {
            // The future gets its value on the very turn the deadline fires, just before it: the
            // waiter's wake-up is queued when the deadline cancels it (asyncio's lost-result race).
            EventLoop loop = getRunningLoop();
            for (int i = 0; i < 20; i++) {
                Future<Integer> f = loop.createFuture();
                int n = i;
                loop.callLater(1.0, () -> f.setResult(n));
                assertThat(waitFor(f, Duration.ofSeconds(1))).isEqualTo(i);
                assertThat(currentTask().cancelling()).isZero();
            }
            // The inner task swallows its cancellation and returns a value.
            Task<String> stubborn = createTask(() -> {
                try {
                    sleep(100);
                } catch (CancelledError e) {
                    return "kept";
                }
                return "slept";
            });
            assertThat(waitFor(stubborn, Duration.ofSeconds(1))).isEqualTo("kept");
            return null;
        });
    }

    @Test
    void waitForWithZeroTimeout() {
        TestLoop.run(() -> {
            Task<Integer> done = createTask(() -> 3);
            yieldNow();
            assertThat(waitFor(done, Duration.ZERO)).isEqualTo(3);
            Task<Integer> pending = createTask(after(10, 1));
            assertThatThrownBy(() -> waitFor(pending, Duration.ZERO)).isInstanceOf(TimeoutException.class);
            assertThat(pending.cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void cancellingTheWaiterCancelsTheInnerTask() {
        TestLoop.run(() -> {
            Task<Integer> inner = createTask(after(100, 1));
            Task<Integer> waiter = createTask(() -> waitFor(inner, Duration.ofSeconds(50)));
            sleep(1);
            waiter.cancel();
            assertThatThrownBy(waiter::await).isExactlyInstanceOf(CancelledError.class);
            assertThat(inner.cancelled()).isTrue();
            return null;
        });
    }

    // ---------------------------------------------------------------- wait

    @Test
    void waitFirstCompleted() {
        TestLoop.run(() -> {
            Task<Integer> a = createTask(after(1, 1)), b = createTask(after(5, 2));
            DoneAndPending<Integer> r = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_COMPLETED, null);
            assertThat(r.done()).containsExactly(a);
            assertThat(r.pending()).containsExactly(b);
            b.cancel();
            assertThatThrownBy(b::await).isInstanceOf(CancelledError.class);
            return null;
        });
    }

    @Test
    void waitFirstExceptionAndAllCompleted() {
        TestLoop.run(() -> {
            Task<Integer> ok = createTask(after(1, 1));
            Task<Integer> bad = createTask(() -> {
                sleep(2);
                throw new IllegalStateException("x");
            });
            Task<Integer> slow = createTask(after(10, 3));
            DoneAndPending<Integer> r = Asyncio.wait(List.of(ok, bad, slow), ReturnWhen.FIRST_EXCEPTION, null);
            assertThat(r.done()).containsExactly(ok, bad);
            assertThat(r.pending()).containsExactly(slow);
            assertThat(bad.exception()).hasMessage("x");
            r = Asyncio.wait(List.of(ok, bad, slow), ReturnWhen.ALL_COMPLETED, null);
            assertThat(r.pending()).isEmpty();
            return null;
        });
    }

    @Test
    void waitTimeoutReturnsWithoutCancelling() {
        TestLoop.run(() -> {
            Task<Integer> slow = createTask(after(10, 3));
            DoneAndPending<Integer> r = Asyncio.wait(List.of(slow), ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(1));
            assertThat(r.done()).isEmpty();
            assertThat(r.pending()).containsExactly(slow);
            assertThat(slow.cancelled()).isFalse();
            assertThat(slow.await()).isEqualTo(3);
            assertThatThrownBy(() -> Asyncio.wait(List.<Future<Integer>>of(), ReturnWhen.ALL_COMPLETED, null))
                    .isInstanceOf(IllegalArgumentException.class);
            return null;
        });
    }

    // ---------------------------------------------------------------- asCompleted

    @Test
    void asCompletedYieldsInCompletionOrder() {
        TestLoop.run(() -> {
            List<Integer> order = new ArrayList<>();
            for (Future<Integer> f : asCompleted(List.of(createTask(after(3, 3)), createTask(after(1, 1)), createTask(after(2, 2))), null)) {
                order.add(f.result());
            }
            assertThat(order).containsExactly(1, 2, 3);
            return null;
        });
    }

    @Test
    void asCompletedTimesOut() {
        TestLoop.run(() -> {
            Task<Integer> slow = createTask(after(10, 1));
            List<Integer> got = new ArrayList<>();
            assertThatThrownBy(() -> {
                for (Future<Integer> f : asCompleted(List.of(createTask(after(1, 0)), slow), Duration.ofSeconds(2))) {
                    got.add(f.result());
                }
            }).isInstanceOf(TimeoutException.class);
            assertThat(got).containsExactly(0);
            assertThat(slow.cancelled()).isFalse();
            slow.cancel();
            assertThatThrownBy(slow::await).isInstanceOf(CancelledError.class);
            return null;
        });
    }

    // ---------------------------------------------------------------- shield

    @Test
    void shieldKeepsTheInnerTaskRunningWhenTheAwaiterIsCancelled() {
        TestLoop.run(() -> {
            Task<Integer> inner = createTask(after(5, 9));
            Task<Integer> awaiter = createTask(() -> shield(inner).await());
            sleep(1);
            awaiter.cancel();
            assertThatThrownBy(awaiter::await).isInstanceOf(CancelledError.class);
            assertThat(inner.cancelled()).isFalse();
            assertThat(inner.await()).isEqualTo(9);
            return null;
        });
    }

    @Test
    void shieldPassesTheOutcomeThrough() {
        TestLoop.run(() -> {
            assertThat(shield(after(1, 4)).await()).isEqualTo(4);
            Task<Integer> failing = createTask(() -> {
                sleep(1);
                throw new IllegalStateException("inner");
            });
            assertThatThrownBy(() -> shield(failing).await()).hasMessage("inner");
            Task<Integer> done = createTask(() -> 1);
            yieldNow();
            assertThat(shield(done)).isSameAs(done);
            return null;
        });
    }

    // ---------------------------------------------------------------- sleep, yield

    @Test
    void sleepAdvancesLoopTimeAndNegativeSleepYields() {
        TestLoop.run(() -> {
            EventLoop loop = getRunningLoop();
            double t0 = loop.time();
            sleep(Duration.ofMillis(1500));
            assertThat(loop.time() - t0).isBetween(1.5, 1.51);
            sleep(-1);
            sleep(Duration.ofSeconds(-3));
            assertThat(loop.time() - t0).isBetween(1.5, 1.51);
            assertThatThrownBy(() -> sleep(null)).isInstanceOf(NullPointerException.class).hasMessage("delay");
            return null;
        });
    }

    @Test
    void yieldNowLetsOtherReadyTasksRun() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            createTask(() -> {
                log.add("other");
                return null;
            });
            log.add("before");
            yieldNow();
            log.add("after");
            assertThat(log).containsExactly("before", "other", "after");
            return null;
        });
    }

    @Test
    void cancelledSleepRemovesItsTimer() {
        TestLoop.run(() -> {
            List<Task<Object>> sleepers = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sleepers.add(createTask(() -> {
                    sleep(3600);
                    return null;
                }));
            }
            yieldNow();
            sleepers.forEach(Task::cancel);
            sleep(0.001); // a real loop turn after the sleepers unwound (yieldNow may skip turns)
            assertThat(getRunningLoop().pendingTimerEntries()).isLessThan(300);
            return null;
        });
    }

    // ---------------------------------------------------------------- asyncio fidelity

    @Test
    void gatherTakesTasksAndFuturesDirectly() {
        TestLoop.run(() -> {
            Task<Integer> a = createTask(after(1, 1));
            Task<Integer> b = createTask(after(2, 2));
            assertThat(gather(a, b)).containsExactly(1, 2);
            assertThat(gatherSettled(createTask(after(1, 3)))).singleElement()
                    .satisfies(o -> assertThat(o.getOrThrow()).isEqualTo(3));
            return null;
        });
    }

    @Test
    void asCompletedIteratesOnce() {
        TestLoop.run(() -> {
            Iterable<Future<Integer>> it = asCompleted(List.of(createTask(after(1, 1))), null);
            for (Future<Integer> f : it) {
                assertThat(f.result()).isEqualTo(1);
            }
            assertThatThrownBy(it::iterator).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
            return null;
        });
    }

    @Test
    void innerFailureAfterTheShieldWasCancelledIsReportedOnce() {
        List<ExceptionContext> reported = TestLoop.runCollecting(() -> {
            Task<Object> inner = createTask(() -> {
                sleep(2);
                throw new IllegalStateException("late failure");
            });
            Future<Object> outer = shield(inner);
            Task<Object> waiter = createTask(outer::await);
            sleep(1);
            waiter.cancel();
            assertThatThrownBy(waiter::await).isInstanceOf(CancelledError.class);
            sleep(5);
            assertThat(inner.done()).isTrue();
            return null;
        });
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.message()).isEqualTo("exception in shielded future");
            assertThat(ctx.exception()).hasMessage("late failure");
        });
    }

    @Test
    void waitForRunsTheCoroutineInTheCallersTask() {
        TestLoop.run(() -> {
            Task<?> caller = currentTask();
            Task<?> inside = waitFor(() -> currentTask(), Duration.ofSeconds(1));
            assertThat(inside).isSameAs(caller);
            return null;
        });
    }

    @Test
    void waitForWithANonPositiveTimeoutCancelsAndReportsTheCancellationAsTheCause() {
        TestLoop.run(() -> {
            TimeoutException e = org.assertj.core.api.Assertions.catchThrowableOfType(TimeoutException.class,
                    () -> waitFor(after(1, 1), Duration.ZERO));
            assertThat(e.getCause()).isInstanceOf(CancelledError.class);
            Task<Integer> done = createTask(() -> 7);
            yieldNow();
            assertThat(waitFor(done, Duration.ofSeconds(-1))).isEqualTo(7);
            return null;
        });
    }
}
