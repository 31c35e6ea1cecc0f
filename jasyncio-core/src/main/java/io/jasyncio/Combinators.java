package io.jasyncio;

import io.jasyncio.internal.LabelledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * asyncio's combinators over futures and tasks (its {@code tasks.py}): gather, waitFor, wait,
 * asCompleted and shield. {@link Asyncio} documents and delegates; the rules and their
 * implementation live here.
 *
 * <p>Threading: loop-confined; each suspends only the calling task.
 */
final class Combinators {
    private Combinators() {}

    static <T> List<T> gather(Collection<? extends Future<? extends T>> futures) {
        EventLoop loop = Asyncio.getRunningLoop();
        return GatheringFuture.values(loop, children(loop, futures)).await();
    }

    static <T> List<Outcome<T>> gatherSettled(Collection<? extends Future<? extends T>> futures) {
        EventLoop loop = Asyncio.getRunningLoop();
        return GatheringFuture.outcomes(loop, children(loop, futures)).await();
    }

    /** The futures to gather, checked: none null, all of {@code loop}. */
    private static <T> List<Future<? extends T>> children(EventLoop loop, Collection<? extends Future<? extends T>> futures) {
        Objects.requireNonNull(futures, "futures");
        List<Future<? extends T>> children = new ArrayList<>(futures.size());
        for (Future<? extends T> f : futures) {
            Objects.requireNonNull(f, "futures contains null");
            if (f.loop != loop) {
                throw new IllegalArgumentException("cannot gather " + f + ": it belongs to another event loop");
            }
            children.add(f);
        }
        return children;
    }

    static <T> List<Future<? extends T>> tasksOf(Coroutine<? extends T>[] coroutines) {
        EventLoop loop = Asyncio.getRunningLoop();
        List<Future<? extends T>> tasks = new ArrayList<>(coroutines.length);
        for (Coroutine<? extends T> c : coroutines) {
            Objects.requireNonNull(c, "coroutines contains null");
            tasks.add(loop.createTask(c));
        }
        return tasks;
    }

    static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (timeout != null && !timeout.isPositive()) {
            return waitFor(Asyncio.getRunningLoop().createTask(coroutine), timeout);
        }
        return Asyncio.timeout(timeout, coroutine);
    }

    static <T> T waitFor(Future<T> future, Duration timeout) {
        Objects.requireNonNull(future, "future");
        Task.currentOrThrow("waitFor()");
        if (timeout != null && !timeout.isPositive()) {
            if (future.done()) {
                return future.result();
            }
            future.cancel();
            while (!future.done()) {
                waitOnce(future);
            }
            if (future.cancelled()) {
                throw new TimeoutException("waitFor(): the timeout (" + timeout + ") had passed; the future was cancelled",
                        null, future.cancelledError());
            }
            return future.result();
        }
        try {
            return Asyncio.timeout(timeout, future::await);
        } catch (TimeoutException e) {
            if (future.done() && !future.cancelled()) {
                return future.result(); // it finished as the deadline passed: keep its outcome
            }
            throw e;
        }
    }

    static void waitOnce(Future<?> f) {
        Future<Void> settled = new LabelledFuture<>(f.loop, "wait for", f);
        Consumer<Future<?>> cb = x -> settled.trySetResult(null);
        f.addWaiter(cb);
        try {
            settled.await();
        } finally {
            f.removeWaiter(cb);
        }
    }

    static <T> DoneAndPending<T> wait(Collection<? extends Future<T>> futures, ReturnWhen returnWhen, Duration timeout) {
        Objects.requireNonNull(futures, "futures");
        Objects.requireNonNull(returnWhen, "returnWhen");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("wait() needs at least one future");
        }
        Task<?> task = Task.currentOrThrow("wait()");
        EventLoop loop = task.loop;
        Set<Future<T>> all = new LinkedHashSet<>(futures);
        Future<Void> waiter = loop.createFuture();
        int[] remaining = {all.size()};
        Consumer<Future<T>> onDone = f -> {
            remaining[0]--;
            boolean failed = !f.cancelled() && f.exception() != null;
            if (remaining[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || (returnWhen == ReturnWhen.FIRST_EXCEPTION && failed)) {
                waiter.trySetResult(null);
            }
        };
        boolean satisfied = satisfied(all, returnWhen);
        TimerHandle timer = null;
        if (!satisfied) {
            for (Future<T> f : all) {
                if (f.done()) {
                    remaining[0]--;
                } else {
                    f.addWaiter(onDone);
                }
            }
            if (timeout != null) {
                timer = loop.callLater(timeout, () -> waiter.trySetResult(null));
            }
            try {
                waiter.await();
            } finally {
                if (timer != null) {
                    timer.cancel();
                }
                for (Future<T> f : all) {
                    f.removeWaiter(onDone);
                }
            }
        }
        Set<Future<T>> done = new LinkedHashSet<>(), pending = new LinkedHashSet<>();
        for (Future<T> f : all) {
            (f.done() ? done : pending).add(f);
        }
        return new DoneAndPending<>(done, pending);
    }

    static <T> boolean satisfied(Set<Future<T>> all, ReturnWhen when) {
        int done = 0;
        for (Future<T> f : all) {
            if (f.done()) {
                done++;
                if (when == ReturnWhen.FIRST_COMPLETED
                        || (when == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null)) {
                    return true;
                }
            }
        }
        return done == all.size();
    }

    static <T> Iterable<Future<T>> asCompleted(Collection<? extends Future<T>> futures, Duration timeout) {
        Objects.requireNonNull(futures, "futures");
        EventLoop loop = Asyncio.getRunningLoop();
        Set<Future<T>> all = new LinkedHashSet<>(futures);
        double deadline = timeout == null ? Double.POSITIVE_INFINITY
                : loop.nanosAfter(timeout) / 1e9;
        boolean[] iterated = {false};
        return () -> {
            if (iterated[0]) {
                throw new IllegalStateException("the result of asCompleted() can be iterated once, as asyncio's iterator;"
                        + " call asCompleted() again for another pass");
            }
            iterated[0] = true;
            return new CompletionIterator<>(loop, all, deadline);
        };
    }

    private static final class CompletionIterator<T> implements Iterator<Future<T>> {
        private final ArrayDeque<Future<T>> completed = new ArrayDeque<>();
        private final double deadline;
        private final EventLoop loop;
        private int remaining;
        private Future<Void> signal;
        private final Consumer<Future<T>> onDone;

        CompletionIterator(EventLoop loop, Set<Future<T>> all, double deadline) {
            this.loop = loop;
            this.deadline = deadline;
            this.remaining = all.size();
            this.onDone = f -> {
                completed.add(f);
                if (signal != null) {
                    signal.trySetResult(null);
                }
            };
            for (Future<T> f : all) {
                if (f.done()) {
                    completed.add(f);
                } else {
                    f.addWaiter(onDone);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public Future<T> next() {
            if (remaining == 0) {
                throw new NoSuchElementException("every future has been returned");
            }
            if (completed.isEmpty()) {
                Future<Void> s = loop.createFuture();
                signal = s;
                try {
                    Asyncio.timeoutAt(deadline, s::await);
                } finally {
                    signal = null;
                }
            }
            remaining--;
            return completed.poll();
        }
    }

    static <T> Future<T> shield(Future<T> inner) {
        Objects.requireNonNull(inner, "inner");
        if (inner.done()) {
            return inner;
        }
        Future<T> outer = new LabelledFuture<>(inner.loop, "shield of", inner);
        inner.addDoneCallback(f -> {
            if (!outer.cancelled()) {
                f.copyOutcomeTo(outer);
            } else if (!f.cancelled() && !f.exceptionRead() && f.exception() != null) {
                // Nobody awaits the inner any more: report its failure once (exception() marked it retrieved).
                f.loop.callExceptionHandler(new ExceptionContext("exception in shielded future", f.exception(), f, null));
            }
        });
        return outer;
    }
}
