package io.jasyncio;

import io.jasyncio.internal.ResourceLeak;
import io.jasyncio.internal.Sneaky;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An asynchronous generator: a producer body that both emits values and awaits (sleeps, reads
 * sockets), consumed lazily one value at a time. Python's {@code async def} with {@code yield}.
 *
 * <pre>{@code
 * AsyncGenerator<Integer> ticks = AsyncGenerator.of(out -> {
 *     for (int i = 0; ; i++) {
 *         sleep(1.0);
 *         out.emit(i);          // suspends until the consumer asks for the next value
 *     }
 * });
 * try (ticks) {
 *     for (int t : ticks) { if (t == 3) break; }
 * }                             // closing runs the body's finally blocks (aclose)
 * }</pre>
 *
 * <h2>Life cycle</h2>
 * <pre>
 *  state    | meaning                                             | next
 *  NEW      | the body has not started                            | WAITING (first hasNext), CLOSED
 *  WAITING  | the body runs until its next emit (consumer waits)  | READY, FINISHED
 *  READY    | a value is buffered for next()                      | WAITING (next + hasNext), CLOSED
 *  FINISHED | the body returned or threw (thrown by hasNext once) | -
 *  CLOSED   | close() cancelled the body and waited for it         | -
 * </pre>
 * The body runs in its own task (a copy of the consumer's context), started by the first
 * {@link #hasNext()}; each emit is a hand-over between the two tasks, so it works the same on both
 * engines. A generator is single-use: {@link #iterator()} returns the generator itself.
 *
 * <p>Closing: {@link #close()} cancels the body at its suspension point, so its {@code finally}
 * blocks run, and waits for it. A body that emits while being closed gets
 * {@link IllegalStateException} (Python: "async generator ignored GeneratorExit"). A plain
 * for-each that breaks out does not close the generator (Java gives no hook); it is closed when
 * the task that consumed it finishes, and at the latest when the loop's runner shuts down
 * (asyncio's {@code shutdown_asyncgens}). Use try-with-resources to close it at once. In debug mode a
 * generator left to those fallbacks (or still open when the loop closes) is reported as a leak, with the
 * line that started iterating it.
 *
 * <p>Cancellation: cancelling the consumer while it waits in {@link #hasNext()} closes the
 * generator too.
 *
 * <p>Threading: loop-confined; consume it from one task.
 */
public final class AsyncGenerator<T> implements AsyncIterable<T>, AsyncIterator<T> {

    /** The producer's code. */
    @FunctionalInterface
    public interface Body<T> {
        void run(Emitter<T> out) throws Exception;
    }

    /** What the body emits through. */
    public interface Emitter<T> {
        /** Hands {@code value} to the consumer and suspends until it asks for the next one. */
        void emit(T value);
    }

    private enum State { NEW, WAITING, READY, FINISHED, CLOSED }

    private final Body<T> body;
    private State state = State.NEW;
    private Task<Void> producer;
    private Task<?> consumer;
    private T value;
    private Future<Boolean> valueReady;
    private Future<Boolean> demand;
    private boolean closing;
    /**
     * Debug mode: a generator whose body started is a leak unless it is exhausted or closed by its user;
     * one closed only by a fallback (its consumer task ended, the runner shut generators down, the loop
     * closed) is reported with the line that started iterating it.
     */
    private ResourceLeak leak = ResourceLeak.untracked();

    private AsyncGenerator(Body<T> body) {
        this.body = Objects.requireNonNull(body, "body");
    }

    /** A generator running {@code body}. */
    public static <T> AsyncGenerator<T> of(Body<T> body) {
        return new AsyncGenerator<>(body);
    }

    @Override
    public AsyncIterator<T> iterator() {
        return this;
    }

    /**
     * Runs the body until it emits the next value (true) or ends (false). Suspends.
     * Rethrows the body's exception, once.
     */
    @Override
    public boolean hasNext() {
        switch (state) {
            case READY:
                return true;
            case FINISHED:
            case CLOSED:
                return false;
            default:
                break;
        }
        Task<?> me = Task.currentOrThrow("AsyncGenerator.hasNext()");
        EventLoop loop = me.loop;
        valueReady = loop.createFuture();
        if (state == State.NEW) {
            consumer = me;
            leak = ResourceLeak.track(loop, this, "AsyncGenerator");
            producer = loop.createTask("asyncgen", this::produce);
            producer.addDoneCallback(this::producerDone);
            me.addDoneCallback(t -> closeInBackground("closed only when the task iterating it finished"));
            loop.registerAsyncGenerator(this);
        } else {
            demand.setResult(true);
        }
        state = State.WAITING;
        boolean got;
        try {
            got = valueReady.await();
        } catch (Throwable interrupted) {
            close(); // the consumer was cancelled: the generator ends with it
            throw interrupted;
        }
        if (got) {
            state = State.READY;
            return true;
        }
        state = State.FINISHED;
        Throwable failure = producer.cancelled() ? null : producer.exception();
        if (failure != null) {
            throw Sneaky.raise(failure);
        }
        return false;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the async generator is exhausted");
        }
        T v = value;
        value = null;
        state = State.WAITING; // the next hasNext() asks for more
        return v;
    }

    private Void produce() throws Exception {
        body.run(v -> {
            Objects.requireNonNull(v, "emitted value");
            if (Asyncio.currentTask() != producer) {
                throw new IllegalStateException("emit() must be called by the generator's own body");
            }
            if (closing) {
                throw new IllegalStateException("the async generator emitted a value while being closed (it ignored its cancellation)");
            }
            value = v;
            demand = producer.loop.createFuture();
            valueReady.setResult(true);
            demand.await();
        });
        return null;
    }

    private void producerDone(Future<Void> f) {
        if (!closing) {
            leak.released(); // the body ended by itself: exhausted, or failed (the failure reaches the consumer)
        }
        if (valueReady != null && !valueReady.done()) {
            valueReady.setResult(false);
        }
    }

    /**
     * Ends the generator: cancels its body (its {@code finally} blocks run) and waits for it.
     * Idempotent. Suspends if the body is running.
     */
    @Override
    public void close() {
        leak.released();
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        value = null;
        if (producer == null || producer.done()) {
            return;
        }
        closing = true;
        producer.cancel("async generator closed");
        Future<Void> p = producer;
        Throwable interrupted = null;
        while (!p.done()) {
            try {
                Asyncio.gatherSettled(java.util.List.of(p));
            } catch (Throwable t) {
                if (interrupted == null) {
                    interrupted = t; // our own cancellation: rethrow once the body has finished
                }
            }
        }
        if (interrupted != null) {
            throw Sneaky.raise(interrupted);
        }
        if (!p.cancelled() && p.exception() != null) {
            throw Sneaky.raise(p.exception());
        }
    }

    /** Closes without waiting (the consumer is gone, or the loop shuts down); {@code how} names the fallback for the leak report. */
    void closeInBackground(String how) {
        if (state != State.CLOSED && producer != null && !producer.done()) {
            leak.reportNow(how);
            state = State.CLOSED;
            closing = true;
            producer.cancel("async generator closed");
        }
    }

    @Override
    public String toString() {
        return "AsyncGenerator[" + state.name().toLowerCase() + "]";
    }
}
