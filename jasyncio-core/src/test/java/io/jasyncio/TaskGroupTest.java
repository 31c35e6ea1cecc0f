package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
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

    /** The loop options every test runs with; {@link TaskGroupEagerTest} runs them all with eager tasks. */
    LoopOptions options() {
        return TestLoop.options();
    }

    final <T> T run(Coroutine<T> body) {
        return TestLoop.run(options(), body);
    }

    @Test
    void closeWaitsForEveryChild() {
        run(() -> {
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
        run(() -> {
            List<String> log = new ArrayList<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Task<?>[] sibling = new Task<?>[1];
            Throwable[] bodySaw = new Throwable[1];
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg -> {
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
                } catch (Throwable t) {
                    bodySaw[0] = t;
                    throw t;
                } finally {
                    log.add("body unwound");
                }
            }));
            assertThat(e.exceptions()).containsExactly(boom);
            assertThat(e.getCause()).isSameAs(boom);
            assertThat(bodySaw[0]).as("the body sees a cancellation, never the group's exception").isExactlyInstanceOf(CancelledError.class);
            assertThat(sibling[0].cancelled()).isTrue();
            assertThat(log).containsExactlyInAnyOrder("sibling cleaned up", "body unwound");
            assertThat(getRunningLoop().time()).isLessThan(2);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void tryWithResourcesFormDoesNotInterruptTheBodyAndThrowsFromClose() {
        run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<?>[] sibling = new Task<?>[1];
            List<String> log = new ArrayList<>();
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> {
                try (TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> {
                        sleep(1);
                        throw boom;
                    });
                    sibling[0] = tg.createTask(() -> sleep(3600, null));
                    sleep(2); // not interrupted: close() cannot turn a cancellation into the group's exception
                    log.add("body finished");
                    assertThatThrownBy(() -> tg.createTask(() -> 1)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("shutting down");
                }
            });
            assertThat(e.exceptions()).containsExactly(boom);
            assertThat(sibling[0].cancelled()).isTrue();
            assertThat(log).containsExactly("body finished");
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void everyFailureSurfacesTogether() {
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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
        run(() -> {
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

    // ---------------------------------------------------------------- cancellation reaches the children

    @Test
    void taskWaitingInCloseThatIsCancelledCancelsItsChildrenAtOnce() {
        run(() -> {
            for (String how : List.of("cancel", "timeout", "waitFor")) {
                double start = getRunningLoop().time();
                Task<?>[] child = new Task<?>[1];
                Coroutine<Object> groupInClose = () -> {
                    try (TaskGroup tg = new TaskGroup()) {
                        child[0] = tg.createTask(() -> sleep(5, null));
                    }
                    return null;
                };
                Throwable outcome = catchThrowableOfType(Throwable.class, () -> {
                    switch (how) {
                        case "cancel" -> {
                            Task<Object> t = createTask(groupInClose);
                            getRunningLoop().callLater(1.0, t::cancel);
                            t.await();
                        }
                        case "timeout" -> Asyncio.timeout(java.time.Duration.ofSeconds(1), groupInClose);
                        default -> Asyncio.waitFor(groupInClose, java.time.Duration.ofSeconds(1));
                    }
                });
                assertThat(outcome).as(how).isInstanceOf(how.equals("cancel") ? CancelledError.class : TimeoutException.class);
                assertThat(getRunningLoop().time() - start).as(how).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(child[0].cancelled()).as(how).isTrue();
            }
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void nestedGroupsBothFailingInOneTurnEachRaiseTheirOwnError() {
        run(() -> {
            IllegalStateException innerError = new IllegalStateException("inner child");
            IllegalArgumentException outerError = new IllegalArgumentException("outer child");
            List<String> log = new ArrayList<>();
            TaskGroupException outer = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(o -> {
                o.createTask(() -> {
                    sleep(1);
                    throw outerError;
                });
                try {
                    TaskGroup.run(i -> {
                        i.createTask(() -> {
                            sleep(1);
                            throw innerError;
                        });
                        sleep(3600);
                    });
                } catch (TaskGroupException inner) {
                    assertThat(inner.exceptions()).containsExactly(innerError);
                    log.add("inner caught");
                }
                sleep(3600); // the outer group's cancellation is still pending: it arrives here
                log.add("not reached");
            }));
            assertThat(outer.exceptions()).containsExactly(outerError);
            assertThat(log).containsExactly("inner caught");
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void cancelInTheRunFormCancelsTheBodyToo() {
        run(() -> {
            List<String> log = new ArrayList<>();
            Task<?>[] child = new Task<?>[1];
            TaskGroup.run(tg -> {
                child[0] = tg.createTask(() -> sleep(3600, null));
                tg.createTask(() -> {
                    sleep(1);
                    tg.cancel();
                    return null;
                });
                try {
                    sleep(3600);
                } finally {
                    log.add("body cancelled at " + getRunningLoop().time());
                }
            });
            assertThat(child[0].cancelled()).isTrue();
            assertThat(log).hasSize(1);
            assertThat(getRunningLoop().time()).isLessThan(2);
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void childThatCancelsTheGroupBeforeItsFirstSuspensionDoesNotHangTheGroup() {
        run(() -> {
            Task<?>[] tasks = new Task<?>[2];
            boolean[] cancelledAlready = {false};
            TaskGroup.run(tg -> {
                tasks[0] = tg.createTask(() -> {
                    cancelledAlready[0] = true;
                    tg.cancel(); // with eager tasks this runs inside createTask
                    return sleep(3600, null);
                });
                if (cancelledAlready[0]) {
                    assertThatThrownBy(() -> tg.createTask(() -> 1)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("shutting down");
                }
            });
            assertThat(tasks[0].cancelled()).isTrue();
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    @Test
    void childFailingEagerlyBeforeItWasAddedStillFailsTheGroup() {
        run(() -> {
            IllegalStateException boom = new IllegalStateException("at once");
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    throw boom;
                });
                sleep(3600);
            }));
            assertThat(e.exceptions()).containsExactly(boom);
            assertThat(getRunningLoop().time()).isLessThan(1);
            return null;
        });
    }

    @Test
    void deadlinePassingWhileAFailedGroupWindsDownIsNeverAGroupMember() {
        run(() -> {
            IllegalStateException boom = new IllegalStateException("child");
            TaskGroupException e = catchThrowableOfType(TaskGroupException.class, () -> Asyncio.timeout(
                    java.time.Duration.ofSeconds(1), () -> {
                        TaskGroup.run(tg -> {
                            tg.createTask(() -> {
                                sleep(0.5);
                                throw boom;
                            });
                            tg.createTask(() -> {
                                try {
                                    return sleep(3600, null);
                                } finally {
                                    sleep(1); // slow clean-up: the deadline passes while the group waits
                                }
                            });
                            sleep(3600);
                        });
                        return null;
                    }));
            assertThat(e.exceptions()).containsExactly(boom);
            assertThat(getRunningLoop().time()).isEqualTo(1.5, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(currentTask().cancelling()).isZero();
            return null;
        });
    }

    // ---------------------------------------------------------------- supervision and readiness

    @Test
    void aSupervisingGroupKeepsSiblingsAndTheBodyRunningAndReportsUnreadFailures() {
        List<ExceptionContext> reported = TestLoop.runCollecting(() -> {
            IllegalStateException awaited = new IllegalStateException("read by the body");
            List<String> log = new ArrayList<>();
            TaskGroup.supervise(tg -> {
                Task<Object> a = tg.createTask(() -> {
                    sleep(1);
                    throw awaited;
                });
                tg.createTask(() -> {
                    sleep(1);
                    throw new IllegalArgumentException("nobody reads this");
                });
                tg.createTask(() -> {
                    sleep(3);
                    log.add("sibling finished");
                    return null;
                });
                sleep(2);
                log.add("body not cancelled");
                assertThatThrownBy(a::await).isSameAs(awaited);
            });
            assertThat(log).containsExactly("body not cancelled", "sibling finished");
            return null;
        });
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.message()).contains("supervising");
            assertThat(ctx.exception()).hasMessage("nobody reads this");
        });
    }

    @Test
    void aSupervisingGroupsBodyFailureCancelsTheChildrenAndPropagatesUnchanged() {
        run(() -> {
            IllegalStateException bodyError = new IllegalStateException("body");
            Task<?>[] child = new Task<?>[1];
            Throwable t = catchThrowableOfType(Throwable.class, () -> TaskGroup.supervise(tg -> {
                child[0] = tg.createTask(() -> sleep(3600, null));
                sleep(1);
                throw bodyError;
            }));
            assertThat(t).isSameAs(bodyError);
            assertThat(child[0].cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void startWaitsUntilTheChildIsReadyAndReturnsItsValue() {
        run(() -> {
            List<String> log = new ArrayList<>();
            TaskGroup.run(tg -> {
                int port = tg.start("server", (TaskStatus<Integer> status) -> {
                    sleep(1); // binding takes a while
                    status.started(8080);
                    sleep(1);
                    log.add("served");
                });
                assertThat(port).isEqualTo(8080);
                assertThat(getRunningLoop().time()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
                log.add("client connected to " + port);
            });
            assertThat(log).containsExactly("client connected to 8080", "served");
            return null;
        });
    }

    @Test
    void aChildThatFailsBeforeItIsReadyFailsStartAndLeavesTheGroupAlone() {
        run(() -> {
            java.io.UncheckedIOException bindFailed = new java.io.UncheckedIOException(new java.io.IOException("port in use"));
            List<String> log = new ArrayList<>();
            TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    sleep(2);
                    log.add("sibling untouched");
                    return null;
                });
                assertThatThrownBy(() -> tg.start((TaskStatus<Integer> status) -> {
                    sleep(1);
                    throw bindFailed;
                })).isSameAs(bindFailed);
                assertThatThrownBy(() -> tg.start((TaskStatus<Integer> status) -> sleep(1)))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("without calling status.started()");
            });
            assertThat(log).containsExactly("sibling untouched");
            return null;
        });
    }
}
