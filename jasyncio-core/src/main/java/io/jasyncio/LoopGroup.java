package io.jasyncio;

import io.jasyncio.internal.LoopPost;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several event loops, each on its own thread, for a program that wants one loop per core (Java
 * has no GIL: the loops really run in parallel). Work goes to a loop with {@link #submit} (round
 * robin) or to a chosen one with {@link Asyncio#runCoroutineThreadsafe}; loops exchange work the
 * same way, never by sharing loop-confined objects.
 *
 * <pre>{@code
 * try (LoopGroup group = new LoopGroup(Runtime.getRuntime().availableProcessors())) {
 *     List<CompletableFuture<Stats>> parts = shards.stream().map(s -> group.submit(() -> crawl(s))).toList();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread. {@link #close()} stops each loop,
 * cancels and awaits its remaining tasks (as {@link Asyncio#run} does), closes it and joins its
 * thread.
 */
public final class LoopGroup implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    /** {@code size} loops with default options. */
    public LoopGroup(int size) {
        this(size, LoopOptions.defaults().withHandleSigint(false));
    }

    /** {@code size} loops set up by {@code options}, each started on its own platform thread. */
    public LoopGroup(int size, LoopOptions options) {
        if (size < 1) {
            throw new IllegalArgumentException("LoopGroup size must be >= 1, not " + size);
        }
        Objects.requireNonNull(options, "options");
        CountDownLatch running = new CountDownLatch(size);
        for (int i = 0; i < size; i++) {
            EventLoop loop = new EventLoop(options.withHandleSigint(false));
            loops.add(loop);
            Thread t = Thread.ofPlatform().name("jasyncio-loop-group-" + i).daemon().start(() -> {
                loop.callSoon(running::countDown);
                loop.runForever();
            });
            threads.add(t);
        }
        try {
            running.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the loop group", e);
        }
    }

    /** The loops, in order. */
    public List<EventLoop> loops() {
        return List.copyOf(loops);
    }

    /** The next loop in round-robin order. */
    public EventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    /** Runs {@code coroutine} as a task on the next loop; the future completes with its outcome. */
    public <T> CompletableFuture<T> submit(Coroutine<T> coroutine) {
        if (closed) {
            throw new IllegalStateException("the loop group is closed");
        }
        return Asyncio.runCoroutineThreadsafe(coroutine, next());
    }

    /** Stops every loop after cancelling and awaiting its tasks, then joins the threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EventLoop loop : loops) {
            LoopPost.postIfOpen(loop, loop::stop); // a closed loop has nothing to stop
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        for (EventLoop loop : loops) {
            // The threads are gone: finish each loop here, as Runner.close() does.
            try (Runner r = Runner.adopt(loop)) {
                LOG.log(Level.TRACE, "closing {0}", loop);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LoopGroup[size=" + loops.size() + (closed ? ", closed" : "") + "]";
    }
}
