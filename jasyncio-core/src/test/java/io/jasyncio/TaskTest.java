package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.currentTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.test.Expect;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TaskTest {

    @Test
    void taskReturnsItsResult() {
        assertThat(TestLoop.run(() -> createTask(() -> 6 * 7).await())).isEqualTo(42);
    }

    @Test
    void exceptionReachesTheAwaiterAsTheSameObjectWithTheCoroutinesStack() {
        TestLoop.run(() -> {
            IOException[] raised = new IOException[1];
            Task<String> t = createTask(() -> {
                sleep(0.1);
                raised[0] = new IOException("connection lost");
                throw raised[0];
            });
            Exception caught = null;
            try {
                t.await();
            } catch (Exception e) {
                caught = e;
            }
            assertThat(caught).isSameAs(raised[0]);
            assertThat(Arrays.toString(caught.getStackTrace())).contains("TaskTest");
            return null;
        });
    }

    @Test
    void cancelWhileSleepingRunsFinallyAndCancelsTheTask() {
        Expect ex = new Expect();
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                try {
                    ex.expect(2);
                    sleep(3600);
                    ex.expectUnreached();
                } finally {
                    ex.expect(4);
                }
                return null;
            });
            ex.expect(1);
            yieldNow();
            ex.expect(3);
            assertThat(t.cancel("enough")).isTrue();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class).hasMessage("enough");
            assertThat(t.cancelled()).isTrue();
            ex.finish(5);
            return null;
        });
        ex.assertFinished();
    }

    @Test
    void cancelBeforeTheFirstStepNeverRunsTheBody() {
        TestLoop.run(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            Task<Object> t = createTask(() -> {
                ran.set(true);
                return null;
            });
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            assertThat(ran).isFalse();
            return null;
        });
    }

    @Test
    void cancelOfADoneTaskReturnsFalse() {
        TestLoop.run(() -> {
            Task<Integer> t = createTask(() -> 1);
            t.await();
            assertThat(t.cancel()).isFalse();
            assertThat(t.cancelling()).isZero();
            return null;
        });
    }

    @Test
    void cancelTwiceCountsTwoRequestsAndUncancelTakesThemBack() {
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                sleep(10);
                return null;
            });
            yieldNow();
            assertThat(t.cancel()).isTrue();
            assertThat(t.cancel()).isTrue();
            assertThat(t.cancelling()).isEqualTo(2);
            assertThat(t.uncancel()).isEqualTo(1);
            assertThat(t.uncancel()).isZero();
            assertThat(t.uncancel()).isZero();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class); // the sleep was cancelled already
            return null;
        });
    }

    @Test
    void uncancelToZeroDropsAnUndeliveredCancellation() {
        TestLoop.run(() -> {
            Task<String> self = null;
            Task<String> t = createTask(() -> {
                Task<?> me = currentTask();
                me.cancel(); // not waiting on anything: delivery is pending
                me.uncancel();
                yieldNow(); // nothing is thrown here
                return "survived";
            });
            assertThat(t.await()).isEqualTo("survived");
            return self;
        });
    }

    @Test
    void selfCancellationIsThrownAtTheNextSuspension() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Object> t = createTask(() -> {
                currentTask().cancel("self");
                log.add("still running");
                try {
                    sleep(1);
                } catch (CancelledError e) {
                    log.add("cancelled: " + e.getMessage());
                    throw e;
                }
                return null;
            });
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("still running", "cancelled: self");
            return null;
        });
    }

    @Test
    void aTaskMaySuspendInFinallyAfterBeingCancelled() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            Task<Object> t = createTask(() -> {
                try {
                    sleep(100);
                } finally {
                    sleep(1); // cleanup that waits
                    log.add("cleanup done");
                }
                return null;
            });
            yieldNow();
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("cleanup done");
            return null;
        });
    }

    @Test
    void aTaskThatSwallowsItsCancellationIsNotCancelled() {
        TestLoop.run(() -> {
            Task<String> t = createTask(() -> {
                try {
                    sleep(100);
                } catch (CancelledError e) {
                    currentTask().uncancel();
                    return "swallowed";
                }
                return "slept";
            });
            yieldNow();
            t.cancel();
            assertThat(t.await()).isEqualTo("swallowed");
            assertThat(t.cancelled()).isFalse();
            return null;
        });
    }

    @Test
    void cancellingATaskCancelsTheTaskItAwaits() {
        TestLoop.run(() -> {
            Task<Object> inner = createTask(() -> {
                sleep(100);
                return null;
            });
            Task<Object> outer = createTask(inner::await);
            yieldNow();
            outer.cancel();
            assertThatThrownBy(outer::await).isInstanceOf(CancelledError.class);
            assertThat(inner.cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void aTaskCannotAwaitItself() {
        TestLoop.run(() -> {
            Task<?> me = currentTask();
            assertThatThrownBy(me::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("itself");
            return null;
        });
    }

    @Test
    void setResultOnATaskIsRefused() {
        TestLoop.run(() -> {
            Task<Integer> t = createTask(() -> 1);
            assertThatThrownBy(() -> t.setResult(2)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> t.setException(new RuntimeException())).isInstanceOf(UnsupportedOperationException.class);
            t.await();
            return null;
        });
    }

    @Test
    void namesDefaultAndCanBeChanged() {
        TestLoop.run(() -> {
            Task<Integer> t = createTask(() -> 1);
            assertThat(t.getName()).matches("Task-\\d+");
            t.setName("renamed");
            assertThat(t.getName()).isEqualTo("renamed");
            Task<Integer> named = createTask("fetch-3", () -> 1);
            assertThat(named.getName()).isEqualTo("fetch-3");
            Asyncio.gather(t, named);
            assertThat(currentTask().getName()).isEqualTo("main");
            return null;
        });
    }

    @Test
    void getStackAndToStringShowWhereATaskIsPaused() {
        TestLoop.run(() -> {
            Task<Object> t = createTask("sleeper", () -> {
                pausedHere();
                return null;
            });
            yieldNow();
            StackTraceElement[] stack = t.getStack();
            assertThat(Arrays.toString(stack)).contains("pausedHere");
            assertThat(t.toString()).contains("name=sleeper").contains("PENDING").contains("TaskTest.java:");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            t.printStack(new PrintStream(buf, true));
            assertThat(buf.toString()).contains("pausedHere");
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            return null;
        });
    }

    private static void pausedHere() {
        sleep(100);
    }

    @Test
    void currentTaskAndAllTasks() {
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                sleep(1);
                return null;
            });
            assertThat(Asyncio.allTasks()).contains(t, currentTask());
            t.await();
            assertThat(Asyncio.allTasks()).doesNotContain(t);
            return null;
        });
    }

    @Test
    void eagerTaskRunsUntilItsFirstSuspensionInsideCreateTask() {
        TestLoop.run(TestLoop.options().withEagerTasks(true), () -> {
            List<String> log = new ArrayList<>();
            Task<String> finishedAtOnce = createTask(() -> "done");
            assertThat(finishedAtOnce.done()).isTrue();
            Task<String> t = createTask(() -> {
                log.add("started");
                sleep(1);
                log.add("resumed");
                return "x";
            });
            log.add("after createTask");
            assertThat(t.await()).isEqualTo("x");
            assertThat(log).containsExactly("started", "after createTask", "resumed");
            return null;
        });
    }

    @Test
    void eagerStartPerTaskNestsAndRestoresTheCurrentTask() {
        TestLoop.run(() -> {
            Task<?> me = currentTask();
            Task<Task<?>> t = getRunningLoop().createTask("eager", () -> currentTask(), true);
            assertThat(t.done()).isTrue();
            assertThat(t.result().getName()).isEqualTo("eager");
            assertThat(currentTask()).isSameAs(me);
            return null;
        });
    }

    @Test
    void aPendingTaskWithoutReferencesIsNeverCollected() {
        AtomicBoolean finished = new AtomicBoolean();
        TestLoop.run(() -> {
            createTask(() -> {
                sleep(5);
                finished.set(true);
                return null;
            });
            for (int i = 0; i < 5; i++) {
                System.gc();
                sleep(1);
            }
            sleep(2);
            return null;
        });
        assertThat(finished).isTrue();
    }

    @Test
    void suspendingOutsideALoopFailsAtOnce() {
        assertThatThrownBy(() -> sleep(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a jasyncio task");
        assertThatThrownBy(Asyncio::yieldNow).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(Asyncio::getRunningLoop).isInstanceOf(IllegalStateException.class).hasMessageContaining("no running event loop");
    }

    @Test
    void suspendingInAPlainCallbackFailsClearly() {
        TestLoop.run(() -> {
            List<Throwable> errors = new ArrayList<>();
            getRunningLoop().callSoon(() -> {
                try {
                    sleep(1);
                } catch (IllegalStateException e) {
                    errors.add(e);
                }
            });
            sleep(0.1);
            assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("plain callback"));
            return null;
        });
    }

    /** A class whose initializer suspends: the JVM cannot capture a stack through it. */
    static final class SuspendsInInitializer {
        static final String VALUE;

        static {
            String v;
            try {
                sleep(0.01);
                v = "suspended";
            } catch (IllegalStateException pinned) {
                v = pinned.getMessage();
            }
            VALUE = v;
        }
    }

    @Test
    void aPinnedSuspensionFailsAtTheCallAndLeavesTheLoopIntact() {
        assumeTrue(TestLoop.engine().equals("continuation"), "only the continuation engine can be pinned");
        TestLoop.run(() -> {
            Task<String> other = createTask(() -> {
                sleep(0.5);
                return "other fine";
            });
            String v = SuspendsInInitializer.VALUE;
            assertThat(v).contains("pinned").contains("class initializer");
            sleep(0.1);
            assertThat(other.await()).isEqualTo("other fine");
            return null;
        });
    }

    @Test
    void manyTasksComplete() {
        assertThat(TestLoop.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                tasks.add(createTask(() -> {
                    yieldNow();
                    return n;
                }));
            }
            long sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.await();
            }
            return sum;
        })).isEqualTo(10_000L * 9_999 / 2);
    }

    // ---------------------------------------------------------------- asyncio fidelity

    @Test
    void awaitingACancelledTaskRethrowsTheCancelledErrorItsCoroutineThrew() {
        TestLoop.run(() -> {
            CancelledError[] thrown = new CancelledError[1];
            Task<Object> t = createTask(() -> {
                try {
                    return sleep(3600, null);
                } catch (CancelledError e) {
                    thrown[0] = e;
                    throw e;
                }
            });
            yieldNow();
            t.cancel("stop");
            CancelledError seen = org.assertj.core.api.Assertions.catchThrowableOfType(CancelledError.class, t::await);
            assertThat(seen).isSameAs(thrown[0]).hasMessage("stop");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(t::result)).isSameAs(thrown[0]);
            return null;
        });
    }

    @Test
    void aTaskCancelledTwiceWhileSleepingReceivesOneCancelledError() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            Task<String> t = createTask(() -> {
                try {
                    sleep(3600);
                } catch (CancelledError first) {
                    log.add("first");
                    currentTask().uncancel();
                    currentTask().uncancel();
                }
                sleep(1); // no second CancelledError here
                log.add("slept");
                return "survived";
            });
            yieldNow();
            t.cancel();
            t.cancel();
            assertThat(t.await()).isEqualTo("survived");
            assertThat(log).containsExactly("first", "slept");
            return null;
        });
    }

    @Test
    void yieldInAnEagerTaskGivesItsCreatorTheTurnWithDebugOnOrOff() {
        for (boolean debug : new boolean[] {false, true}) {
            List<String> order = TestLoop.run(TestLoop.options().withEagerTasks(true).withDebug(debug), () -> {
                List<String> log = new ArrayList<>();
                Task<?> child = createTask(() -> {
                    log.add("child starts");
                    yieldNow();
                    log.add("child resumes");
                    return null;
                });
                log.add("creator continues");
                child.await();
                return log;
            });
            assertThat(order).as("debug=" + debug).containsExactly("child starts", "creator continues", "child resumes");
        }
    }

    @Test
    void createTaskInAGivenContextRunsInThatContext() {
        TestLoop.run(() -> {
            ContextVar<String> var = new ContextVar<>("user");
            Context ctx = new Context();
            ctx.run(() -> {
                var.set("alice");
                return null;
            });
            var.set("bob");
            Task<String> t = Asyncio.createTask(() -> var.get(), ctx);
            assertThat(t.await()).isEqualTo("alice");
            return null;
        });
    }

    @Test
    void sleepReturnsTheGivenResult() {
        TestLoop.run(() -> {
            assertThat(sleep(java.time.Duration.ofSeconds(1), "value")).isEqualTo("value");
            assertThat(sleep(0.5, 42)).isEqualTo(42);
            return null;
        });
    }

    @Test
    void aFailedTaskNobodyAwaitedIsReportedWhenTheLoopClosesAtTheLatest() {
        List<ExceptionContext> reported = TestLoop.runCollecting(() -> {
            Task<Object> t = createTask(() -> {
                throw new IllegalStateException("nobody reads me");
            });
            sleep(1);
            assertThat(t.done()).isTrue(); // still referenced: no GC report can have happened
            return null;
        });
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.message()).contains("never retrieved").contains("closed");
            assertThat(ctx.exception()).hasMessage("nobody reads me");
        });
    }

    @Test
    void checkedExceptionsCanBeCaughtByTypeWhenTheCallerDeclaresThem() {
        TestLoop.run(() -> {
            IOException failure = new IOException("disk full");
            Task<String> t = createTask(() -> {
                throw failure;
            });
            try {
                t.awaitChecked(IOException.class);
                throw new AssertionError("not reached");
            } catch (IOException e) {
                assertThat(e).isSameAs(failure);
            }
            try {
                Asyncio.toThreadChecked(() -> {
                    throw new java.net.ConnectException("refused");
                }, java.net.ConnectException.class);
            } catch (java.net.ConnectException e) {
                assertThat(e).hasMessage("refused");
            }
            java.util.concurrent.CompletableFuture<String> cf = java.util.concurrent.CompletableFuture.failedFuture(failure);
            try {
                Asyncio.awaitChecked(cf, IOException.class);
            } catch (IOException e) {
                assertThat(e).isSameAs(failure);
            }
            return null;
        });
    }

    @Test
    void inDebugModeTheNeverRetrievedReportNamesWhereTheTaskWasCreated() {
        List<ExceptionContext> reported = io.jasyncio.test.StrictLoop.runCollecting(TestLoop.options().withDebug(true), () -> {
            createTask(() -> {
                throw new IllegalStateException("nobody reads me");
            });
            sleep(1);
            return null;
        });
        assertThat(reported).singleElement().satisfies(ctx -> assertThat(ctx.message())
                .contains("never retrieved").contains("created at").contains("TaskTest.java:"));
    }

    @Test
    void cancellingATaskInAnAwaitCycleUnwindsTheCycleInsteadOfRecursing() {
        TestLoop.run(() -> {
            List<Task<Object>> cycle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int next = (i + 1) % 3;
                cycle.add(createTask(() -> {
                    yieldNow(); // let every task of the cycle exist first
                    return cycle.get(next).await(); // 0 awaits 1 awaits 2 awaits 0: a deadlock
                }));
            }
            for (int i = 0; i < 3; i++) {
                yieldNow();
            }
            assertThat(cycle.get(0).cancel()).isTrue(); // used to overflow the stack: 0 -> 1 -> 2 -> 0 -> ...
            assertThatThrownBy(() -> cycle.get(0).await()).isInstanceOf(CancelledError.class);
            for (Task<Object> t : cycle) {
                assertThat(t.cancelled()).as("%s", t).isTrue();
            }
            return null;
        });
    }
}
