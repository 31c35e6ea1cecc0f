package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TaskGroupTest {

    @Test
    void closeWaitsForEveryChild() {
        TestLoop.run(() -> {
            Task<Integer> a, b;
            try (TaskGroup tg = new TaskGroup()) {
                a = tg.createTask(() -> {
                    sleep(1);
                    return 1;
                });
                b = tg.createTask(() -> {
                    sleep(2);
                    return 2;
                });
            }
            assertThat(a.result() + b.result()).isEqualTo(3);
            return null;
        });
    }

    @Test
    void aFailingChildCancelsTheOthersAndTheBody() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Task<?>[] sibling = new Task<?>[1];
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        sleep(1);
                        throw boom;
                    });
                    sibling[0] = tg.createTask(() -> {
                        try {
                            sleep(3600);
                        } finally {
                            log.add("sibling cleaned up");
                        }
                        return null;
                    });
                    try {
                        sleep(3600); // the body is cancelled here
                    } finally {
                        log.add("body unwound");
                    }
                }
            });
            assertThat(e.exceptions()).containsExactly(boom);
            assertThat(e.getCause()).isSameAs(boom);
            assertThat(sibling[0].cancelled()).isTrue();
            assertThat(log).containsExactlyInAnyOrder("sibling cleaned up", "body unwound");
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void everyFailureSurfacesTogether() {
        TestLoop.run(() -> {
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        sleep(1);
                        throw new IllegalStateException("first");
                    });
                    tg.createTask(() -> {
                        try {
                            sleep(3600);
                        } catch (CancelledError c) {
                            throw new IllegalArgumentException("second, while cancelled");
                        }
                        return null;
                    });
                }
            });
            assertThat(e.exceptions()).extracting(Throwable::getMessage).containsExactly("first", "second, while cancelled");
            assertThat(e.getSuppressed()).hasSize(2);
            return null;
        });
    }

    @Test
    void failureWhileTheBodyIsAlreadyInCloseIsThrownFromClose() {
        TestLoop.run(() -> {
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        sleep(1);
                        throw new IllegalStateException("late");
                    });
                }
            });
            assertThat(e.exceptions()).singleElement().satisfies(x -> assertThat(x).hasMessage("late"));
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void outsideCancellationCancelsChildrenAndPropagates() {
        TestLoop.run(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Object> parent = createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    child[0] = tg.createTask(() -> {
                        sleep(3600);
                        return null;
                    });
                }
                return null;
            });
            sleep(1);
            parent.cancel();
            assertThatThrownBy(parent::await).isExactlyInstanceOf(CancelledError.class);
            assertThat(child[0].cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void childFailurePlusOutsideCancellationReportsTheFailureAndStaysCancelled() {
        TestLoop.run(() -> {
            Task<Object> parent = createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        sleep(1);
                        throw new IllegalStateException("child");
                    });
                    tg.createTask(() -> {
                        sleep(3600);
                        return null;
                    });
                }
                return null;
            });
            sleep(1); // the child fails on this same turn
            parent.cancel("outside");
            Throwable t = catchThrowableOfType(Throwable.class, parent::await);
            assertThat(t).isInstanceOfAny(TaskGroupException.class, CancelledError.class);
            assertThat(parent.done()).isTrue();
            return null;
        });
    }

    @Test
    void nestedGroupsPropagateInnerFailuresOutward() {
        TestLoop.run(() -> {
            Task<?>[] outerChild = new Task<?>[1];
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> {
                try (TaskGroup outer = new TaskGroup()) {
                    outerChild[0] = outer.createTask(() -> {
                        sleep(3600);
                        return null;
                    });
                    outer.createTask(() -> {
                        try (TaskGroup inner = new TaskGroup()) {
                            inner.createTask(() -> {
                                sleep(1);
                                throw new IllegalStateException("deep");
                            });
                        }
                        return null;
                    });
                }
            });
            assertThat(e.exceptions()).singleElement().isInstanceOf(TaskGroupException.class);
            TaskGroupException inner = (TaskGroupException) e.exceptions().get(0);
            assertThat(inner.exceptions()).singleElement().satisfies(x -> assertThat(x).hasMessage("deep"));
            assertThat(outerChild[0].cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void cancelEndsTheGroupEarlyWithoutAnError() {
        TestLoop.run(() -> {
            Task<?>[] child = new Task<?>[2];
            try (TaskGroup tg = new TaskGroup()) {
                child[0] = tg.createTask(() -> {
                    sleep(3600);
                    return null;
                });
                child[1] = tg.createTask(() -> {
                    sleep(1);
                    tg.cancel();
                    return "canceller";
                });
            }
            assertThat(child[0].cancelled()).isTrue();
            // The canceller is a child too: it is cancelled like the rest (trio's cancel scope rule).
            assertThat(child[1].cancelled()).isTrue();
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void createTaskAfterCloseOrWhileShuttingDownIsRefused() {
        TestLoop.run(() -> {
            TaskGroup[] group = new TaskGroup[1];
            try (TaskGroup tg = new TaskGroup()) {
                group[0] = tg;
                tg.createTask(() -> 1);
            }
            assertThatThrownBy(() -> group[0].createTask(() -> 2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("finished");
            try (TaskGroup tg = new TaskGroup()) {
                tg.cancel();
                assertThatThrownBy(() -> tg.createTask(() -> 3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("shutting down");
            }
            return null;
        });
    }

    @Test
    void runFormCancelsChildrenWhenTheBodyThrows() {
        TestLoop.run(() -> {
            Task<?>[] child = new Task<?>[1];
            IllegalArgumentException bodyError = new IllegalArgumentException("body");
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                child[0] = tg.createTask(() -> {
                    sleep(3600);
                    return null;
                });
                throw bodyError;
            }));
            assertThat(e.exceptions()).containsExactly(bodyError);
            assertThat(child[0].cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void newTaskGroupOutsideATaskIsRefused() {
        assertThatThrownBy(TaskGroup::new).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a jasyncio task");
    }

    @Test
    void childrenStartedInTheGroupRunConcurrently() {
        TestLoop.run(() -> {
            double start = Asyncio.getRunningLoop().time();
            try (TaskGroup tg = new TaskGroup()) {
                for (int i = 0; i < 100; i++) {
                    tg.createTask(() -> {
                        sleep(1);
                        yieldNow();
                        return null;
                    });
                }
            }
            assertThat(Asyncio.getRunningLoop().time() - start).isBetween(1.0, 1.1);
            return null;
        });
    }
}
