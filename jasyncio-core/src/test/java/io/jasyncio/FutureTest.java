package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FutureTest {

    @Test
    void resultAndStateTransitions() {
        TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            assertThat(f.done()).isFalse();
            assertThatThrownBy(f::result).isInstanceOf(InvalidStateException.class).hasMessageContaining("not done yet");
            assertThatThrownBy(f::exception).isInstanceOf(InvalidStateException.class);
            f.setResult("x");
            assertThat(f.done()).isTrue();
            assertThat(f.result()).isEqualTo("x");
            assertThat(f.exception()).isNull();
            assertThatThrownBy(() -> f.setResult("y")).isInstanceOf(InvalidStateException.class).hasMessageContaining("already done");
            assertThatThrownBy(() -> f.setException(new RuntimeException())).isInstanceOf(InvalidStateException.class);
            assertThat(f.cancel()).isFalse();
            return null;
        });
    }

    @Test
    void exceptionIsRethrownAsTheSameObjectEvenWhenChecked() {
        TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            IOException io = new IOException("disk");
            f.setException(io);
            assertThat(f.exception()).isSameAs(io);
            Throwable thrown = null;
            try {
                f.result();
            } catch (Exception e) {
                thrown = e;
            }
            assertThat(thrown).isSameAs(io);
            return null;
        });
    }

    @Test
    void cancelledErrorCannotBeSetAsAnException() {
        TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            assertThatThrownBy(() -> f.setException(new CancelledError())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cancel()");
            assertThatThrownBy(() -> f.setException(null)).isInstanceOf(NullPointerException.class).hasMessage("exception");
            return null;
        });
    }

    @Test
    void cancelCarriesItsMessage() {
        TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            assertThat(f.cancel("stop it")).isTrue();
            assertThat(f.cancelled()).isTrue();
            assertThatThrownBy(f::result).isInstanceOf(CancelledError.class).hasMessage("stop it");
            assertThatThrownBy(f::exception).isInstanceOf(CancelledError.class);
            assertThat(f.cancel()).isFalse();
            return null;
        });
    }

    @Test
    void doneCallbacksAreScheduledNeverInlineAndInOrder() {
        TestLoop.run(() -> {
            Future<Integer> f = getRunningLoop().createFuture();
            List<String> order = new ArrayList<>();
            f.addDoneCallback(x -> order.add("first " + x.result()));
            f.addDoneCallback(x -> order.add("second"));
            f.setResult(7);
            assertThat(order).as("not inline").isEmpty();
            f.addDoneCallback(x -> order.add("late"));
            assertThat(order).isEmpty();
            yieldNow();
            yieldNow();
            assertThat(order).containsExactly("first 7", "second", "late");
            return null;
        });
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistration() {
        TestLoop.run(() -> {
            Future<Integer> f = getRunningLoop().createFuture();
            List<String> order = new ArrayList<>();
            Consumer<Future<Integer>> cb = x -> order.add("removed");
            f.addDoneCallback(cb);
            f.addDoneCallback(x -> order.add("kept"));
            f.addDoneCallback(cb);
            assertThat(f.removeDoneCallback(cb)).isEqualTo(2);
            assertThat(f.removeDoneCallback(cb)).isZero();
            f.setResult(1);
            yieldNow();
            assertThat(order).containsExactly("kept");
            return null;
        });
    }

    @Test
    void awaitSuspendsUntilDone() {
        assertThat(TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            getRunningLoop().callLater(0.5, () -> f.setResult("later"));
            return f.await();
        })).isEqualTo("later");
    }

    @Test
    void awaitOutsideATaskFailsClearly() {
        try (EventLoop loop = new EventLoop(TestLoop.options())) {
            Future<String> f = loop.createFuture();
            assertThatThrownBy(f::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a jasyncio task").hasMessageContaining("Asyncio.run");
        }
    }

    @Test
    void awaitingAFutureOfAnotherLoopIsRefused() {
        try (EventLoop other = new EventLoop(TestLoop.options())) {
            Future<String> foreign = other.createFuture();
            TestLoop.run(() -> {
                assertThatThrownBy(foreign::await).isInstanceOf(IllegalStateException.class).hasMessageContaining("another event loop");
                return null;
            });
        }
    }

    @Test
    void toCompletableFutureFollowsTheOutcome() throws Exception {
        CompletableFuture<String>[] cf = new CompletableFuture[3];
        IllegalStateException boom = new IllegalStateException("boom");
        TestLoop.run(() -> {
            EventLoop loop = getRunningLoop();
            Future<String> ok = loop.createFuture(), bad = loop.createFuture(), gone = loop.createFuture();
            cf[0] = ok.toCompletableFuture();
            cf[1] = bad.toCompletableFuture();
            cf[2] = gone.toCompletableFuture();
            ok.setResult("v");
            bad.setException(boom);
            gone.cancel();
            yieldNow();
            return null;
        });
        assertThat(cf[0].get()).isEqualTo("v");
        assertThatThrownBy(cf[1]::get).isInstanceOf(ExecutionException.class).hasCause(boom);
        assertThat(cf[2].isCancelled()).isTrue();
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheFuture() {
        TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            f.toCompletableFuture().cancel(true);
            yieldNow();
            assertThat(f.cancelled()).isTrue();
            return null;
        });
    }

    @Test
    void unretrievedExceptionIsReportedWhenCollected() throws Exception {
        List<ExceptionContext> reported = TestLoop.runCollecting(() -> {
            createTask(() -> {
                throw new IllegalStateException("nobody looks at me");
            });
            for (int i = 0; i < 100; i++) {
                System.gc();
                Asyncio.sleep(0.05);
                Thread.sleep(10);
            }
            return null;
        });
        assertThat(reported).anySatisfy(ctx -> {
            assertThat(ctx.message()).contains("exception was never retrieved");
            assertThat(ctx.exception()).hasMessage("nobody looks at me");
        });
    }

    @Test
    void retrievedExceptionIsNotReported() {
        TestLoop.run(() -> {
            Task<Object> t = createTask(() -> {
                throw new IllegalStateException("seen");
            });
            assertThatThrownBy(t::await).hasMessage("seen");
            t = null;
            for (int i = 0; i < 20; i++) {
                System.gc();
                Asyncio.sleep(0.05);
                Thread.sleep(5);
            }
            return null;
        });
    }

    @Test
    void toStringShowsTheState() {
        TestLoop.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            assertThat(f.toString()).contains("PENDING");
            f.setResult("r");
            assertThat(f.toString()).contains("FINISHED").contains("result=r");
            return null;
        });
    }
}
