package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.timeout;
import static io.jasyncio.Asyncio.timeoutAt;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(60)
class TimeoutTest {

    @Test
    void expiredScopeThrowsTimeoutExceptionAtTheSuspensionPoint() {
        TestLoop.run(() -> {
            double start = getRunningLoop().time();
            Timeout[] scope = new Timeout[1];
            TimeoutException e = org.assertj.core.api.Assertions.catchThrowableOfType(TimeoutException.class, () -> {
                try (Timeout t = timeout(Duration.ofSeconds(2))) {
                    scope[0] = t;
                    sleep(3600);
                }
            });
            assertThat(e).isNotNull();
            assertThat(e.scope()).isSameAs(scope[0]);
            assertThat(e.getCause()).isInstanceOf(CancelledError.class);
            assertThat(scope[0].expired()).isTrue();
            assertThat(getRunningLoop().time() - start).isBetween(2.0, 2.1);
            assertThat(currentTask().cancelling()).as("uncancel balanced the scope's cancel").isZero();
            return null;
        });
    }

    @Test
    void blockThatFinishesInTimeIsUntouched() {
        TestLoop.run(() -> {
            try (Timeout t = timeout(Duration.ofSeconds(5))) {
                sleep(1);
                assertThat(t.expired()).isFalse();
            }
            sleep(10); // the cancelled deadline must not fire later
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void outsideCancellationRacingTheDeadlineWins() {
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                try (Timeout scope = timeout(Duration.ofSeconds(1))) {
                    sleep(3600);
                }
                return null;
            });
            // Cancel from outside at the very moment the deadline passes.
            getRunningLoop().callLater(1.0, () -> t.cancel("outside"));
            assertThatThrownBy(t::await).isExactlyInstanceOf(CancelledError.class);
            assertThat(t.cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void outsideCancellationBeforeTheDeadlineIsACancellation() {
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                try (Timeout scope = timeout(Duration.ofSeconds(10))) {
                    sleep(3600);
                }
                return null;
            });
            sleep(1);
            t.cancel();
            assertThatThrownBy(t::await).isExactlyInstanceOf(CancelledError.class);
            return null;
        });
    }

    @Test
    void nestedScopesReportOnlyTheirOwnExpiry() {
        TestLoop.run(() -> {
            Timeout[] outer = new Timeout[1], inner = new Timeout[1];
            TimeoutException e = org.assertj.core.api.Assertions.catchThrowableOfType(TimeoutException.class, () -> {
                try (Timeout o = timeout(Duration.ofSeconds(1))) {
                    outer[0] = o;
                    try (Timeout i = timeout(Duration.ofSeconds(5))) {
                        inner[0] = i;
                        sleep(3600);
                    }
                }
            });
            assertThat(e.scope()).isSameAs(outer[0]);
            assertThat(outer[0].expired()).isTrue();
            assertThat(inner[0].expired()).isFalse();

            // The inner one expiring first is caught inside; the outer never expires.
            try (Timeout o = timeout(Duration.ofSeconds(10))) {
                TimeoutException innerExpiry = org.assertj.core.api.Assertions.catchThrowableOfType(TimeoutException.class, () -> {
                    try (Timeout i = timeout(Duration.ofSeconds(1))) {
                        inner[0] = i;
                        sleep(3600);
                    }
                });
                assertThat(innerExpiry.scope()).isSameAs(inner[0]);
                assertThat(o.expired()).isFalse();
                sleep(1);
            }
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void bothNestedScopesExpiringAtOnceIsTheInnerOnesTimeout() {
        TestLoop.run(() -> {
            Timeout[] inner = new Timeout[1];
            TimeoutException e = org.assertj.core.api.Assertions.catchThrowableOfType(TimeoutException.class, () -> {
                try (Timeout o = timeout(Duration.ofSeconds(1))) {
                    try (Timeout i = timeout(Duration.ofSeconds(1))) {
                        inner[0] = i;
                        sleep(3600);
                    }
                }
            });
            // asyncio: the inner __aexit__ sees two requests (itself, outer): re-raises CancelledError;
            // the outer's exit converts. Here the delivery picks the scope that would convert.
            assertThat(e).isNotNull();
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void rescheduleMovesTheDeadline() {
        TestLoop.run(() -> {
            EventLoop loop = getRunningLoop();
            double start = loop.time();
            try (Timeout t = timeout(null)) {
                assertThat(t.when()).isInfinite();
                t.reschedule(loop.time() + 3);
                sleep(2);
                t.reschedule(loop.time() + 3); // pushed back: 5 s in total
                sleep(2.5);
                assertThat(t.expired()).isFalse();
                sleep(3600);
            } catch (TimeoutException e) {
                assertThat(loop.time() - start).isBetween(5.0, 5.1);
            }
            return null;
        });
    }

    @Test
    void deadlineInThePastExpiresAtTheNextSuspension() {
        TestLoop.run(() -> {
            assertThatThrownBy(() -> {
                try (Timeout t = timeoutAt(getRunningLoop().time() - 1)) {
                    yieldNow();
                    yieldNow();
                }
            }).isInstanceOf(TimeoutException.class);
            return null;
        });
    }

    @Test
    void rescheduleAfterExpiryIsRefused() {
        TestLoop.run(() -> {
            Timeout[] scope = new Timeout[1];
            try (Timeout t = timeout(Duration.ofMillis(10))) {
                scope[0] = t;
                sleep(1);
            } catch (TimeoutException expected) {
                // fine
            }
            assertThatThrownBy(() -> scope[0].reschedule(100)).isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    @Test
    void timeoutOutsideATaskIsRefused() {
        assertThatThrownBy(() -> timeout(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void scopesClosedOutOfOrderAreRefused() {
        TestLoop.run(() -> {
            Timeout a = timeout(Duration.ofSeconds(10));
            Timeout b = timeout(Duration.ofSeconds(10));
            assertThatThrownBy(a::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("reverse order");
            b.close();
            a.close();
            return null;
        });
    }

    @Test
    void timeoutAroundAFailingTaskGroup() {
        TestLoop.run(() -> {
            assertThatThrownBy(() -> {
                try (Timeout t = timeout(Duration.ofSeconds(5))) {
                    try (TaskGroup tg = new TaskGroup()) {
                        tg.createTask(() -> {
                            sleep(1);
                            throw new IllegalStateException("child failed");
                        });
                        tg.createTask(() -> {
                            sleep(3600);
                            return null;
                        });
                    }
                }
            }).isInstanceOf(TaskGroupException.class);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void timeoutAroundASlowTaskGroupCancelsItsChildren() {
        TestLoop.run(() -> {
            Task<?>[] child = new Task<?>[1];
            assertThatThrownBy(() -> {
                try (Timeout t = timeout(Duration.ofSeconds(2))) {
                    try (TaskGroup tg = new TaskGroup()) {
                        child[0] = tg.createTask(() -> {
                            sleep(3600);
                            return null;
                        });
                    }
                }
            }).isInstanceOf(TimeoutException.class);
            assertThat(child[0].cancelled()).isTrue();
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }
}
