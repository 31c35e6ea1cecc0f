package io.jasyncio;

import io.jasyncio.internal.LoopPost;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bridges between jasyncio's async iteration and {@link java.util.concurrent.Flow} (reactive
 * streams), with backpressure both ways.
 *
 * <ul>
 *   <li>{@link #toPublisher}: each subscription runs a fresh {@link AsyncGenerator} on the loop;
 *       the generator advances only while the subscriber has outstanding demand
 *       ({@code request(n)} drives it). Signals are delivered on the loop's thread, serially.</li>
 *   <li>{@link #fromPublisher}: iterating subscribes; at most {@code prefetch} items are requested
 *       ahead of the consumer, so memory stays bounded by what the consumer asked for. The
 *       publisher may signal from any thread.</li>
 * </ul>
 */
public final class FlowAdapters {
    private FlowAdapters() {}

    /** A cold publisher: every subscriber gets its own run of {@code body} on {@code loop}. */
    public static <T> Flow.Publisher<T> toPublisher(EventLoop loop, AsyncGenerator.Body<T> body) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(body, "body");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            GeneratorSubscription<T> s = new GeneratorSubscription<>(loop, body, subscriber);
            loop.callSoonThreadsafe(s::start);
        };
    }

    /** The subscription of one {@link #toPublisher} subscriber; all state is loop-confined. */
    private static final class GeneratorSubscription<T> implements Flow.Subscription {
        private final EventLoop loop;
        private final AsyncGenerator.Body<T> body;
        private final Flow.Subscriber<? super T> subscriber;
        private long demand;
        private boolean cancelled;
        private Future<Void> moreDemand;
        private Task<Void> driver;

        GeneratorSubscription(EventLoop loop, AsyncGenerator.Body<T> body, Flow.Subscriber<? super T> subscriber) {
            this.loop = loop;
            this.body = body;
            this.subscriber = subscriber;
        }

        void start() {
            subscriber.onSubscribe(this);
            if (!cancelled) {
                driver = loop.createTask("flow-publisher", this::drive);
            }
        }

        private Void drive() {
            AsyncGenerator<T> gen = AsyncGenerator.of(body);
            try (gen) {
                while (true) {
                    while (demand == 0 && !cancelled) {
                        moreDemand = loop.createFuture();
                        moreDemand.await();
                    }
                    if (cancelled) {
                        return null;
                    }
                    if (!gen.hasNext()) {
                        break;
                    }
                    demand--;
                    subscriber.onNext(gen.next());
                }
            } catch (CancelledError e) {
                throw e;
            } catch (Throwable t) {
                if (!cancelled) {
                    cancelled = true;
                    subscriber.onError(t);
                }
                return null;
            }
            if (!cancelled) {
                cancelled = true;
                subscriber.onComplete();
            }
            return null;
        }

        @Override
        public void request(long n) {
            loop.callSoonThreadsafe(() -> {
                if (cancelled) {
                    return;
                }
                if (n <= 0) {
                    cancelled = true;
                    if (driver != null) {
                        driver.cancel();
                    }
                    subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (reactive streams rule 3.9), got " + n));
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                if (moreDemand != null && !moreDemand.done()) {
                    moreDemand.setResult(null);
                }
            });
        }

        @Override
        public void cancel() {
            loop.callSoonThreadsafe(() -> {
                if (!cancelled) {
                    cancelled = true;
                    if (driver != null) {
                        driver.cancel(); // closes the generator: its finally blocks run
                    }
                }
            });
        }
    }

    /**
     * Iterates {@code publisher} from a task: each iteration subscribes anew. {@code prefetch}
     * (>= 1) items at most are requested ahead of the consumer.
     */
    public static <T> AsyncIterable<T> fromPublisher(Flow.Publisher<T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, not " + prefetch);
        }
        return () -> new PublisherIterator<>(publisher, prefetch);
    }

    private static final class PublisherIterator<T> implements AsyncIterator<T>, Flow.Subscriber<T> {
        private static final Object COMPLETE = new Object();

        private final EventLoop loop;
        private final int prefetch;
        private final Queue<Object> inbox = new Queue<>();
        private final AtomicBoolean subscribed = new AtomicBoolean();
        private volatile Flow.Subscription subscription;
        private Object next;
        private Throwable failure;
        private boolean finished;
        private int consumedSinceRequest;

        PublisherIterator(Flow.Publisher<T> publisher, int prefetch) {
            this.loop = Asyncio.getRunningLoop();
            this.prefetch = prefetch;
            publisher.subscribe(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            if (!subscribed.compareAndSet(false, true)) {
                s.cancel(); // rule 2.5: one subscription only
                return;
            }
            subscription = s;
            s.request(prefetch);
        }

        @Override
        public void onNext(T item) {
            deliver(Objects.requireNonNull(item, "onNext(null) violates reactive streams rule 2.13"));
        }

        @Override
        public void onError(Throwable t) {
            deliver(new Failed(t));
        }

        @Override
        public void onComplete() {
            deliver(COMPLETE);
        }

        private void deliver(Object signal) {
            boolean posted = LoopPost.postIfOpen(loop, () -> {
                if (!inbox.isShutdown()) {
                    inbox.putNowait(signal);
                }
            });
            if (!posted) { // the loop is closed: nobody will consume, stop the publisher
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
        }

        private record Failed(Throwable error) {}

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            Object signal;
            try {
                signal = inbox.get();
            } catch (QueueShutDownException closed) {
                finished = true;
                return false;
            }
            if (signal == COMPLETE) {
                finished = true;
                return false;
            }
            if (signal instanceof Failed f) {
                finished = true;
                failure = f.error();
                throw io.jasyncio.internal.Sneaky.raise(failure);
            }
            next = signal;
            if (++consumedSinceRequest >= Math.max(1, prefetch / 2)) {
                subscription.request(consumedSinceRequest); // replenish what was consumed
                consumedSinceRequest = 0;
            }
            return true;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the publisher completed");
            }
            T t = (T) next;
            next = null;
            return t;
        }

        @Override
        public void close() {
            if (!finished) {
                finished = true;
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
                inbox.shutdown(true);
            }
        }
    }
}
