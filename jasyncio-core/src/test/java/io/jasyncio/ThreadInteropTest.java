package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.toThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ThreadInteropTest {

    @Test
    void toThreadRunsOnAnotherThreadAndReturnsItsValue() {
        TestLoop.run(() -> {
            Thread loopThread = Thread.currentThread();
            Thread worker = toThread(Thread::currentThread);
            assertThat(worker).isNotSameAs(loopThread);
            assertThat(toThread(() -> 21 * 2)).isEqualTo(42);
            return null;
        });
    }

    @Test
    void toThreadRethrowsTheWorkersExceptionUnchanged() {
        TestLoop.run(() -> {
            IOException io = new IOException("blocking call failed");
            Exception caught = null;
            try {
                toThread(() -> {
                    throw io;
                });
            } catch (Exception e) {
                caught = e;
            }
            assertThat(caught).isSameAs(io);
            return null;
        });
    }

    @Test
    void cancellingToThreadInterruptsTheWorker() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> toThread(() -> {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            }));
            Asyncio.toThread(() -> started.await(10, TimeUnit.SECONDS));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            return null;
        });
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void virtualClockWaitsForWorkOnOtherThreads() {
        TestLoop.run(() -> {
            // With a timer pending the virtual clock must not jump past real work in progress.
            Task<Object> timer = createTask(() -> {
                sleep(3600);
                return null;
            });
            assertThat(toThread(() -> {
                Thread.sleep(100);
                return "real work";
            })).isEqualTo("real work");
            assertThat(timer.done()).isFalse();
            timer.cancel();
            assertThatThrownBy(timer::await).isInstanceOf(CancelledError.class);
            return null;
        });
    }

    @Test
    void awaitCompletionStage() {
        TestLoop.run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                cf.complete("from elsewhere");
            });
            assertThat(Asyncio.await(cf)).isEqualTo("from elsewhere");
            assertThat(Asyncio.await(CompletableFuture.completedFuture(1))).isEqualTo(1);
            IllegalStateException boom = new IllegalStateException("x");
            assertThatThrownBy(() -> Asyncio.await(CompletableFuture.supplyAsync(() -> {
                throw boom;
            }))).isSameAs(boom);
            return null;
        });
    }

    @Test
    void cancellingTheAwaiterCancelsTheCompletableFuture() {
        TestLoop.run(() -> {
            CompletableFuture<String> never = new CompletableFuture<>();
            Task<String> t = createTask(() -> Asyncio.await(never));
            sleep(0.1);
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledError.class);
            assertThat(never.isCancelled()).isTrue();
            return null;
        });
    }

    @Test
    void runCoroutineThreadsafeFromAnotherThread() throws Exception {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withHandleSigint(false))) {
            CompletableFuture<Object>[] result = new CompletableFuture[2];
            AtomicBoolean cancelledSeen = new AtomicBoolean();
            Thread client = Thread.ofPlatform().start(() -> {
                result[0] = Asyncio.runCoroutineThreadsafe(() -> {
                    sleep(0.05);
                    return "ran on " + getRunningLoop().engine();
                }, loop);
                result[1] = Asyncio.runCoroutineThreadsafe(() -> {
                    try {
                        sleep(3600);
                    } catch (CancelledError e) {
                        cancelledSeen.set(true);
                        throw e;
                    }
                    return null;
                }, loop);
                try {
                    result[0].get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                result[1].cancel(true);
                loop.callSoonThreadsafe(() -> loop.callLater(0.1, loop::stop));
            });
            loop.runForever();
            client.join();
            assertThat(result[0].get()).asString().startsWith("ran on");
            assertThat(result[1].isCancelled()).isTrue();
            assertThat(cancelledSeen).isTrue();
        }
    }

    @Test
    void runCoroutineThreadsafePropagatesFailures() throws Exception {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withHandleSigint(false))) {
            CompletableFuture<Object> cf = Asyncio.runCoroutineThreadsafe(() -> {
                throw new IOException("bad");
            }, loop);
            cf.whenComplete((v, e) -> loop.callSoonThreadsafe(loop::stop));
            loop.runForever();
            assertThatThrownBy(cf::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void aFailedRunCoroutineThreadsafeThatNobodyReadsIsReportedOnce() throws Exception {
        java.util.List<ExceptionContext> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Runner runner = new Runner(io.jasyncio.test.StrictLoop.realTime())) {
            runner.getLoop().setExceptionHandler((l, ctx) -> reported.add(ctx));
            runner.run(() -> {
                EventLoop loop = getRunningLoop();
                CompletableFuture<CompletableFuture<Object>> read = new CompletableFuture<>();
                Thread foreign = Thread.ofPlatform().start(() -> {
                    CompletableFuture<Object> unread = Asyncio.runCoroutineThreadsafe(() -> {
                        throw new IllegalStateException("nobody reads this");
                    }, loop);
                    CompletableFuture<Object> readOne = Asyncio.runCoroutineThreadsafe(() -> {
                        throw new IllegalStateException("this one is read");
                    }, loop);
                    read.complete(readOne);
                    while (!unread.isDone()) {
                        Thread.onSpinWait();
                    }
                });
                CompletableFuture<Object> readOne = Asyncio.await(read);
                assertThatThrownBy(() -> Asyncio.await(readOne)).hasMessage("this one is read");
                toThread(() -> {
                    foreign.join();
                    return null;
                });
                for (int i = 0; i < 200 && reported.isEmpty(); i++) { // bounded: the report needs a GC
                    System.gc();
                    sleep(0.02);
                }
                return null;
            });
        }
        assertThat(reported).singleElement().satisfies(ctx -> {
            assertThat(ctx.message()).contains("never read");
            assertThat(ctx.exception()).hasMessage("nobody reads this");
        });
    }
}
