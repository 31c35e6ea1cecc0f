package io.jasyncio;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.getRunningLoop;
import static io.jasyncio.Asyncio.sleep;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncGeneratorTest {

    @Test
    void generatorIsLazyAndCanAwaitBetweenValues() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                for (int i = 0; i < 3; i++) {
                    log.add("producing " + i);
                    sleep(1);
                    out.emit(i);
                }
            });
            assertThat(log).isEmpty();
            double start = getRunningLoop().time();
            for (int v : gen) {
                log.add("got " + v);
            }
            assertThat(log).containsExactly("producing 0", "got 0", "producing 1", "got 1", "producing 2", "got 2");
            assertThat(getRunningLoop().time() - start).isBetween(3.0, 3.1);
            return null;
        });
    }

    @Test
    void closingEarlyRunsTheBodysFinally() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            try (AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    for (int i = 0; ; i++) {
                        out.emit(i);
                    }
                } finally {
                    sleep(0.1); // cleanup may await
                    log.add("generator cleaned up");
                }
            })) {
                for (int v : gen) {
                    if (v == 2) {
                        break;
                    }
                }
            }
            assertThat(log).containsExactly("generator cleaned up");
            return null;
        });
    }

    @Test
    void bodyExceptionReachesTheConsumer() {
        TestLoop.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                out.emit(1);
                throw new IOException("source broke");
            });
            List<Integer> got = new ArrayList<>();
            assertThatThrownBy(() -> {
                for (int v : gen) {
                    got.add(v);
                }
            }).isInstanceOf(IOException.class).hasMessage("source broke");
            assertThat(got).containsExactly(1);
            return null;
        });
    }

    @Test
    void cancellingTheConsumerClosesTheGenerator() {
        TestLoop.run(() -> {
            List<String> log = new ArrayList<>();
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    sleep(3600);
                    out.emit(1);
                } finally {
                    log.add("closed");
                }
            });
            Task<Void> consumer = createTask(() -> {
                for (int v : gen) {
                    log.add("unexpected " + v);
                }
                return null;
            });
            sleep(1);
            consumer.cancel();
            assertThatThrownBy(consumer::await).isInstanceOf(CancelledError.class);
            assertThat(log).containsExactly("closed");
            return null;
        });
    }

    @Test
    void generatorLeftOpenIsClosedWhenItsConsumerEndsOrAtShutdown() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        TestLoop.run(() -> {
            createTask(() -> {
                for (int v : AsyncGenerator.<Integer>of(out -> {
                    try {
                        out.emit(1);
                        out.emit(2);
                    } finally {
                        log.add("closed after its consumer ended");
                    }
                })) {
                    break; // a plain for-each gives no hook to close
                }
                return null;
            }).await();
            sleep(0.1);
            return null;
        });
        assertThat(log).containsExactly("closed after its consumer ended");
    }

    @Test
    void emitWhileClosingIsAnError() {
        TestLoop.run(() -> {
            AsyncGenerator<Integer> gen = AsyncGenerator.of(out -> {
                try {
                    out.emit(1);
                } catch (CancelledError ignored) {
                    out.emit(2); // ignores the close
                }
            });
            assertThat(gen.hasNext()).isTrue();
            assertThatThrownBy(gen::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("being closed");
            return null;
        });
    }

    @Test
    void publisherIsDrivenByDemand() throws Exception {
        List<Integer> produced = Collections.synchronizedList(new ArrayList<>());
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> end = new CompletableFuture<>();
        TestLoop.run(() -> {
            Flow.Publisher<Integer> pub = FlowAdapters.toPublisher(getRunningLoop(), out -> {
                for (int i = 0; i < 10; i++) {
                    produced.add(i);
                    out.emit(i);
                }
            });
            Flow.Subscription[] sub = new Flow.Subscription[1];
            pub.subscribe(new Flow.Subscriber<>() {
                public void onSubscribe(Flow.Subscription s) {
                    sub[0] = s;
                    s.request(2);
                }

                public void onNext(Integer item) {
                    received.add(item);
                }

                public void onError(Throwable t) {
                    end.completeExceptionally(t);
                }

                public void onComplete() {
                    end.complete("complete");
                }
            });
            sleep(1);
            assertThat(received).containsExactly(0, 1);
            assertThat(produced).hasSizeLessThanOrEqualTo(3); // the generator does not run ahead of demand
            sub[0].request(100);
            sleep(1);
            return null;
        });
        assertThat(received).hasSize(10);
        assertThat(end.get(5, TimeUnit.SECONDS)).isEqualTo("complete");
    }

    @Test
    void iteratingAPublisherFromAnotherThreadWithBoundedPrefetch() {
        TestLoop.run(() -> {
            List<Integer> got = new ArrayList<>();
            try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>()) {
                Asyncio.toThread(() -> {
                    Thread.ofPlatform().start(() -> {
                        while (pub.getNumberOfSubscribers() == 0) {
                            Thread.onSpinWait();
                        }
                        for (int i = 0; i < 100; i++) {
                            pub.submit(i); // blocks when the subscriber's demand is used up
                        }
                        pub.close();
                    });
                    return null;
                });
                for (int v : FlowAdapters.fromPublisher(pub, 8)) {
                    got.add(v);
                    if (v % 10 == 0) {
                        yieldNow();
                    }
                }
            }
            assertThat(got).hasSize(100).isSorted();
            return null;
        });
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> AsyncGenerator.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FlowAdapters.fromPublisher(s -> { }, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
