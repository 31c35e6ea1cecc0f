package io.jasyncio.conformance;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.Future;
import io.jasyncio.InvalidStateException;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * CPython's {@code test_futures.py}: {@code BaseFutureTests} and
 * {@code BaseFutureDoneCallbackTests} (run there against the C and the Python Future; jasyncio
 * has one {@link Future}). {@code wrap_future} is {@link Asyncio#await(java.util.concurrent.CompletionStage)}.
 * {@code set_exception(None)} has no counterpart: a null exception is refused with
 * NullPointerException at the call, so the "already done" checks use a real exception.
 * "Exception was never retrieved" reports are what the loop's exception handler receives
 * ({@link StrictLoop#runCollecting}); jasyncio reports them when the loop closes at the latest.
 */
class FuturesConformanceTest {

    @Nested
    class FutureTests extends ConformanceTestBase {

        @Test
        void initialState() {
            runVoid(() -> {
                Future<Object> f = getRunningLoop().createFuture();
                assertThat(f.cancelled()).isFalse();
                assertThat(f.done()).isFalse();
                f.cancel();
                assertThat(f.cancelled()).isTrue();
            });
        }

        /** test_constructor_without_loop: a future needs its loop; none is refused at the call. */
        @Test
        void constructorWithoutLoop() {
            assertThatThrownBy(() -> new Future<Object>(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("loop");
        }

        @Test
        void constructorUseRunningLoop() {
            runVoid(() -> {
                EventLoop loop = getRunningLoop();
                assertThat(loop.createFuture().getLoop()).isSameAs(loop);
                assertThat(new Future<>(loop).getLoop()).isSameAs(loop);
            });
        }

        /** test_future_cancel_message_getter: the message given to cancel() reaches the awaiter. */
        @Test
        void futureCancelMessage() {
            runVoid(() -> {
                Future<Object> f = getRunningLoop().createFuture();
                f.cancel("my message");
                CancelledError e = catchThrowableOfType(CancelledError.class, f::await);
                assertThat(e).isNotNull();
                assertThat(e.getMessage()).isEqualTo("my message");
            });
        }

        @Test
        void cancel() {
            runVoid(() -> {
                Future<Object> f = getRunningLoop().createFuture();
                assertThat(f.cancel()).isTrue();
                assertThat(f.cancelled()).isTrue();
                assertThat(f.done()).isTrue();
                assertThatThrownBy(f::result).isInstanceOf(CancelledError.class);
                assertThatThrownBy(f::exception).isInstanceOf(CancelledError.class);
                assertThatThrownBy(() -> f.setResult(null)).isInstanceOf(InvalidStateException.class);
                assertThatThrownBy(() -> f.setException(new RuntimeException())).isInstanceOf(InvalidStateException.class);
                assertThat(f.cancel()).isFalse();
            });
        }

        @Test
        void result() {
            runVoid(() -> {
                Future<Integer> f = getRunningLoop().createFuture();
                assertThatThrownBy(f::result).isInstanceOf(InvalidStateException.class);
                f.setResult(42);
                assertThat(f.cancelled()).isFalse();
                assertThat(f.done()).isTrue();
                assertThat(f.result()).isEqualTo(42);
                assertThat(f.exception()).isNull();
                assertThatThrownBy(() -> f.setResult(null)).isInstanceOf(InvalidStateException.class);
                assertThatThrownBy(() -> f.setException(new RuntimeException())).isInstanceOf(InvalidStateException.class);
                assertThat(f.cancel()).isFalse();
            });
        }

        @Test
        void exception() {
            runVoid(() -> {
                IllegalStateException exc = new IllegalStateException("RuntimeError");
                Future<Object> f = getRunningLoop().createFuture();
                assertThatThrownBy(f::exception).isInstanceOf(InvalidStateException.class);
                f.setException(exc);
                assertThat(f.cancelled()).isFalse();
                assertThat(f.done()).isTrue();
                assertThatThrownBy(f::result).isSameAs(exc);
                assertThat(f.exception()).isSameAs(exc);
                assertThatThrownBy(() -> f.setResult(null)).isInstanceOf(InvalidStateException.class);
                assertThatThrownBy(() -> f.setException(new RuntimeException())).isInstanceOf(InvalidStateException.class);
                assertThat(f.cancel()).isFalse();
            });
        }

        /** test_yield_from_twice: awaiting a future a second time gives the same result at once. */
        @Test
        void awaitTwice() {
            runVoid(() -> {
                Future<Integer> f = getRunningLoop().createFuture();
                List<Object> log = new ArrayList<>();
                Task<Void> fixture = createTask(() -> {
                    log.add("A");
                    int x = f.await();
                    log.add("B" + x);
                    int y = f.await();
                    log.add("C" + y);
                    return null;
                });
                sleep(0);
                assertThat(log).containsExactly("A");
                f.setResult(42);
                fixture.await();
                assertThat(log).containsExactly("A", "B42", "C42");
            });
        }

        /** test_future_repr, on jasyncio's toString: the state, then the result, exception or message. */
        @Test
        void futureRepr() {
            runVoid(() -> {
                EventLoop loop = getRunningLoop();
                Future<Integer> pending = loop.createFuture();
                assertThat(pending.toString()).isEqualTo("Future[state=PENDING]");
                pending.cancel();
                assertThat(pending.toString()).isEqualTo("Future[state=CANCELLED]");
                Future<Integer> withResult = loop.createFuture();
                withResult.setResult(4);
                assertThat(withResult.toString()).isEqualTo("Future[state=FINISHED, result=4]");
                assertThat(withResult.result()).isEqualTo(4);
                IllegalStateException exc = new IllegalStateException();
                Future<Integer> withException = loop.createFuture();
                withException.setException(exc);
                assertThat(withException.toString()).isEqualTo("Future[state=FINISHED, exception=" + exc + "]");
                assertThat(withException.exception()).isSameAs(exc);
                Future<Integer> withCallbacks = loop.createFuture();
                withCallbacks.addDoneCallback(f -> {});
                withCallbacks.cancel("why");
                assertThat(withCallbacks.toString()).isEqualTo("Future[state=CANCELLED, message=why]");
            });
        }

        /** test_wrap_future: a CompletableFuture completed on another thread, awaited on the loop. */
        @Test
        void wrapFuture() {
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                StrictLoop.run(StrictLoop.realTime(), () -> {
                    Thread loopThread = Thread.currentThread();
                    CompletableFuture<Thread> f1 = CompletableFuture.supplyAsync(Thread::currentThread, ex);
                    Thread ran = Asyncio.await(f1);
                    assertThat(ran).isNotSameAs(loopThread);
                    return null;
                });
            } finally {
                ex.shutdownNow();
            }
        }

        /** test_wrap_future_without_loop: awaiting outside a task is refused with a clear error. */
        @Test
        void wrapFutureWithoutLoop() {
            assertThatThrownBy(() -> Asyncio.await(new CompletableFuture<>()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("task");
        }

        /** test_wrap_future_cancel: cancelling the waiting side cancels the CompletableFuture. */
        @Test
        void wrapFutureCancel() {
            runVoid(() -> {
                CompletableFuture<Integer> f1 = new CompletableFuture<>();
                Task<Integer> f2 = createTask(() -> Asyncio.await(f1));
                sleep(0);
                f2.cancel();
                assertThatThrownBy(f2::await).isInstanceOf(CancelledError.class);
                assertThat(f1.isCancelled()).isTrue();
                assertThat(f2.cancelled()).isTrue();
            });
        }

        /** test_wrap_future_cancel2: a CompletableFuture already completed is not cancelled afterwards. */
        @Test
        void wrapFutureCancel2() {
            runVoid(() -> {
                CompletableFuture<Integer> f1 = new CompletableFuture<>();
                Task<Integer> f2 = createTask(() -> Asyncio.await(f1));
                sleep(0);
                f1.complete(42);
                f2.cancel();
                assertThatThrownBy(f2::await).isInstanceOf(CancelledError.class);
                assertThat(f1.isCancelled()).isFalse();
                assertThat(f1.join()).isEqualTo(42);
                assertThat(f2.cancelled()).isTrue();
            });
        }

        /** test_set_result_unless_cancelled: trySetResult leaves a cancelled future cancelled. */
        @Test
        void setResultUnlessCancelled() {
            runVoid(() -> {
                Future<Integer> fut = getRunningLoop().createFuture();
                fut.cancel();
                assertThat(fut.trySetResult(2)).isFalse();
                assertThat(fut.cancelled()).isTrue();
            });
        }

        @Test
        void toCompletableFutureCarriesTheOutcome() {
            // test_copy_state, in the direction jasyncio offers (Future -> CompletableFuture)
            runVoid(() -> {
                EventLoop loop = getRunningLoop();
                Future<Integer> ok = loop.createFuture();
                CompletableFuture<Integer> okCf = ok.toCompletableFuture();
                ok.setResult(10);
                assertThat(Asyncio.await(okCf)).isEqualTo(10);
                Future<Integer> failed = loop.createFuture();
                CompletableFuture<Integer> failedCf = failed.toCompletableFuture();
                IllegalStateException boom = new IllegalStateException("boom");
                failed.setException(boom);
                assertThatThrownBy(() -> Asyncio.await(failedCf)).isSameAs(boom);
                Future<Integer> cancelled = loop.createFuture();
                CompletableFuture<Integer> cancelledCf = cancelled.toCompletableFuture();
                cancelled.cancel();
                sleep(0);
                assertThat(cancelledCf.isCancelled()).isTrue();
            });
        }
    }

    /** The tb_logger tests: which failed futures are reported as never retrieved. */
    @Nested
    class UnretrievedExceptionTests {

        private List<ExceptionContext> reportsOf(Consumer<Future<Integer>> use) {
            return StrictLoop.runCollecting(StrictLoop.virtualTime(), () -> {
                use.accept(getRunningLoop().createFuture());
                return null;
            });
        }

        @Test
        void tbLoggerAbandoned() {
            assertThat(reportsOf(f -> {})).isEmpty();
        }

        @Test
        void tbLoggerNotCalledAfterCancel() {
            // asyncio's cancel() marks the exception as seen even though the future is already done
            assertThat(reportsOf(f -> {
                f.setException(new RuntimeException());
                f.cancel();
            })).isEmpty();
        }

        @Test
        void tbLoggerResultUnretrieved() {
            assertThat(reportsOf(f -> f.setResult(42))).isEmpty();
        }

        @Test
        void tbLoggerResultRetrieved() {
            assertThat(reportsOf(f -> {
                f.setResult(42);
                f.result();
            })).isEmpty();
        }

        @Test
        void tbLoggerExceptionUnretrieved() {
            assertThat(reportsOf(f -> f.setException(new IllegalStateException("boom")))).hasSize(1);
        }

        @Test
        void tbLoggerExceptionRetrieved() {
            assertThat(reportsOf(f -> {
                f.setException(new IllegalStateException("boom"));
                f.exception();
            })).isEmpty();
        }

        @Test
        void tbLoggerExceptionResultRetrieved() {
            assertThat(reportsOf(f -> {
                f.setException(new IllegalStateException("boom"));
                assertThatThrownBy(f::result).isInstanceOf(IllegalStateException.class);
            })).isEmpty();
        }

        @Test
        void futureExceptionNeverRetrieved() {
            checkFutureExceptionNeverRetrieved(false);
        }

        @Test
        void futureExceptionNeverRetrievedDebug() {
            checkFutureExceptionNeverRetrieved(true);
        }

        private void checkFutureExceptionNeverRetrieved(boolean debug) {
            OutOfMemoryError exc = new OutOfMemoryError("CPython: MemoryError");
            List<ExceptionContext> reports = StrictLoop.runCollecting(StrictLoop.virtualTime().withDebug(debug), () -> {
                getRunningLoop().createFuture().setException(exc);
                sleep(0);
                return null;
            });
            assertThat(reports).hasSize(1);
            assertThat(reports.get(0).message()).startsWith("Future exception was never retrieved");
            assertThat(reports.get(0).exception()).isSameAs(exc);
        }
    }

    /** CPython's BaseFutureDoneCallbackTests. */
    @Nested
    class DoneCallbackTests extends ConformanceTestBase {

        private Consumer<Future<String>> bagAppender(List<Integer> bag, int thing) {
            return f -> bag.add(thing);
        }

        private void runBriefly() {
            sleep(0);
        }

        @Test
        void callbacksRemoveFirstCallback() {
            runVoid(() -> {
                List<Integer> bag = new ArrayList<>();
                Future<String> f = getRunningLoop().createFuture();
                Consumer<Future<String>> cb1 = bagAppender(bag, 42), cb2 = bagAppender(bag, 17), cb3 = bagAppender(bag, 100);
                f.addDoneCallback(cb1);
                f.addDoneCallback(cb2);
                f.addDoneCallback(cb3);
                f.removeDoneCallback(cb1);
                f.removeDoneCallback(cb1);
                assertThat(bag).isEmpty();
                f.setResult("foo");
                runBriefly();
                assertThat(bag).containsExactly(17, 100);
                assertThat(f.result()).isEqualTo("foo");
            });
        }

        @Test
        void callbacksRemoveFirstAndSecondCallback() {
            runVoid(() -> {
                List<Integer> bag = new ArrayList<>();
                Future<String> f = getRunningLoop().createFuture();
                Consumer<Future<String>> cb1 = bagAppender(bag, 42), cb2 = bagAppender(bag, 17), cb3 = bagAppender(bag, 100);
                f.addDoneCallback(cb1);
                f.addDoneCallback(cb2);
                f.addDoneCallback(cb3);
                f.removeDoneCallback(cb1);
                f.removeDoneCallback(cb2);
                f.removeDoneCallback(cb1);
                assertThat(bag).isEmpty();
                f.setResult("foo");
                runBriefly();
                assertThat(bag).containsExactly(100);
                assertThat(f.result()).isEqualTo("foo");
            });
        }

        @Test
        void callbacksRemoveThirdCallback() {
            runVoid(() -> {
                List<Integer> bag = new ArrayList<>();
                Future<String> f = getRunningLoop().createFuture();
                Consumer<Future<String>> cb1 = bagAppender(bag, 42), cb2 = bagAppender(bag, 17), cb3 = bagAppender(bag, 100);
                f.addDoneCallback(cb1);
                f.addDoneCallback(cb2);
                f.addDoneCallback(cb3);
                f.removeDoneCallback(cb3);
                f.removeDoneCallback(cb3);
                assertThat(bag).isEmpty();
                f.setResult("foo");
                runBriefly();
                assertThat(bag).containsExactly(42, 17);
                assertThat(f.result()).isEqualTo("foo");
            });
        }

        @Test
        void callbacksInvokedOnSetResult() {
            runVoid(() -> {
                List<Integer> bag = new ArrayList<>();
                Future<String> f = getRunningLoop().createFuture();
                f.addDoneCallback(bagAppender(bag, 42));
                f.addDoneCallback(bagAppender(bag, 17));
                assertThat(bag).isEmpty();
                f.setResult("foo");
                runBriefly();
                assertThat(bag).containsExactly(42, 17);
                assertThat(f.result()).isEqualTo("foo");
            });
        }

        @Test
        void callbacksInvokedOnSetException() {
            runVoid(() -> {
                List<Integer> bag = new ArrayList<>();
                Future<String> f = getRunningLoop().createFuture();
                f.addDoneCallback(bagAppender(bag, 100));
                assertThat(bag).isEmpty();
                IllegalStateException exc = new IllegalStateException();
                f.setException(exc);
                runBriefly();
                assertThat(bag).containsExactly(100);
                assertThat(f.exception()).isSameAs(exc);
            });
        }

        @Test
        void removeDoneCallback() {
            runVoid(() -> {
                List<Integer> bag = new ArrayList<>();
                Future<String> f = getRunningLoop().createFuture();
                Consumer<Future<String>> cb1 = bagAppender(bag, 1), cb2 = bagAppender(bag, 2), cb3 = bagAppender(bag, 3);
                f.addDoneCallback(cb1);
                f.addDoneCallback(cb2);
                assertThat(f.removeDoneCallback(cb2)).isEqualTo(1);
                assertThat(f.removeDoneCallback(cb3)).isZero();
                f.addDoneCallback(cb2);
                for (int i = 0; i < 5; i++) {
                    f.addDoneCallback(cb1);
                }
                assertThat(f.removeDoneCallback(cb1)).isEqualTo(6);
                assertThat(bag).isEmpty();
                f.setResult("foo");
                runBriefly();
                assertThat(bag).containsExactly(2);
                assertThat(f.result()).isEqualTo("foo");
            });
        }

        /** bpo-28963: a callback that removes others while the callbacks are being scheduled. */
        @Test
        void scheduleCallbacksListMutation1() {
            runVoid(() -> {
                Future<Integer> fut = getRunningLoop().createFuture();
                List<String> ran = new ArrayList<>();
                Consumer<Future<Integer>> str = f -> ran.add("str");
                fut.addDoneCallback(f -> f.removeDoneCallback(str));
                fut.addDoneCallback(str);
                fut.addDoneCallback(str);
                fut.setResult(1);
                runBriefly();
                assertThat(ran).containsExactly("str", "str"); // already scheduled: removing them changes nothing
            });
        }

        /** bpo-30828: a callback list of 64 entries, with one removed, schedules the rest. */
        @Test
        void removeOneOfManyCallbacks() {
            runVoid(() -> {
                Future<Integer> fut = getRunningLoop().createFuture();
                int[] calls = {0};
                Consumer<Future<Integer>> id = f -> calls[0]++;
                Consumer<Future<Integer>> str = f -> calls[0] += 100;
                fut.addDoneCallback(str);
                for (int i = 0; i < 63; i++) {
                    fut.addDoneCallback(id);
                }
                assertThat(fut.removeDoneCallback(str)).isEqualTo(1);
                fut.setResult(1);
                runBriefly();
                assertThat(calls[0]).isEqualTo(63);
            });
        }
    }
}
