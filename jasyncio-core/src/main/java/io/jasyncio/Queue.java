package io.jasyncio;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A first-in first-out queue for tasks of one loop: asyncio's {@code Queue}. Not
 * {@link java.util.Queue}: {@link #put} and {@link #get} suspend tasks, never threads. Subclasses
 * {@link PriorityQueue} and {@link LifoQueue} change only the order.
 *
 * <pre>{@code
 * Queue<Job> jobs = new Queue<>(100);
 * // producer: jobs.put(job);          consumer:
 * for (Job job : jobs) {               // ends when the queue is shut down and drained
 *     handle(job);
 *     jobs.taskDone();
 * }
 * }</pre>
 *
 * <p>Shutdown (asyncio 3.13): after {@link #shutdown(boolean)} every {@code put} fails with
 * {@link QueueShutDownException}; {@code get} still returns what is left, then fails too. An
 * immediate shutdown discards what is left, counts it as done for {@link #join()}, and wakes every
 * waiter.
 *
 * <p>Cancellation: a cancelled {@link #get()} removes no item (if it was about to be handed one,
 * the next getter is woken instead); a cancelled {@link #put} inserts nothing and wakes the next
 * putter if there is room.
 *
 * @param <T> the item type; null items are refused
 */
public class Queue<T> extends LoopBound implements Iterable<T> {
    private final int maxsize;
    private final ArrayDeque<Future<Boolean>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Boolean>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    private final Event finished = new Event();
    private boolean shutdown;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /** A queue holding at most {@code maxsize} items; 0 means unbounded. */
    public Queue(int maxsize) {
        if (maxsize < 0) {
            throw new IllegalArgumentException("Queue maxsize must be >= 0 (0 = unbounded), not " + maxsize);
        }
        this.maxsize = maxsize;
    }

    // ---------------------------------------------------------------- storage (overridden for order)

    /** Stores an item. */
    void putItem(T item) {
        fifo().addLast(item);
    }

    /** Removes the next item. */
    T getItem() {
        return fifo().pollFirst();
    }

    /** The number of stored items. */
    int size() {
        return fifo().size();
    }

    private ArrayDeque<T> items;

    private ArrayDeque<T> fifo() {
        if (items == null) {
            items = new ArrayDeque<>();
        }
        return items;
    }

    // ---------------------------------------------------------------- queries

    public int maxsize() {
        return maxsize;
    }

    /** Items in the queue now. */
    public int qsize() {
        return size();
    }

    public boolean empty() {
        return size() == 0;
    }

    /** True if the queue is bounded and holds {@code maxsize} items. */
    public boolean full() {
        return maxsize > 0 && size() >= maxsize;
    }

    // ---------------------------------------------------------------- put

    /**
     * Puts an item, suspending while the queue is full.
     * @throws QueueShutDownException once the queue is shut down
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        EventLoop loop = loop();
        while (full()) {
            if (shutdown) {
                throw new QueueShutDownException("put() on a queue that was shut down");
            }
            Future<Boolean> putter = loop.createFuture();
            putters.add(putter);
            try {
                putter.await();
            } catch (Throwable cancelled) {
                putter.cancel();
                putters.remove(putter);
                if (!full() && !putter.cancelled()) {
                    wakeNext(putters); // we were woken for a free slot we will not use
                }
                throw cancelled;
            }
        }
        putNowait(item);
    }

    /**
     * Puts an item without suspending.
     * @throws QueueFullException if the queue is full
     * @throws QueueShutDownException once the queue is shut down
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        loop();
        if (shutdown) {
            throw new QueueShutDownException("putNowait() on a queue that was shut down");
        }
        if (full()) {
            throw new QueueFullException("putNowait() on a full queue (maxsize " + maxsize + ")");
        }
        putItem(item);
        unfinishedTasks++;
        finished.clear();
        wakeNext(getters);
    }

    // ---------------------------------------------------------------- get

    /**
     * Removes and returns the next item, suspending while the queue is empty.
     * @throws QueueShutDownException once the queue is shut down and empty
     */
    public T get() {
        EventLoop loop = loop();
        while (empty()) {
            if (shutdown) {
                throw new QueueShutDownException("get() on a queue that was shut down and is empty");
            }
            Future<Boolean> getter = loop.createFuture();
            getters.add(getter);
            try {
                getter.await();
            } catch (Throwable cancelled) {
                getter.cancel();
                getters.remove(getter);
                if (!empty() && !getter.cancelled()) {
                    wakeNext(getters); // an item was meant for us: let the next getter have it
                }
                throw cancelled;
            }
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item without suspending.
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if it is empty and shut down
     */
    public T getNowait() {
        loop();
        if (empty()) {
            if (shutdown) {
                throw new QueueShutDownException("getNowait() on a queue that was shut down and is empty");
            }
            throw new QueueEmptyException("getNowait() on an empty queue");
        }
        T item = getItem();
        wakeNext(putters);
        return item;
    }

    // ---------------------------------------------------------------- join

    /**
     * Marks one item taken with {@code get} as processed.
     * @throws IllegalStateException if called more often than items were put
     */
    public void taskDone() {
        loop();
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /** Suspends until every item put has been marked with {@link #taskDone()}. */
    public void join() {
        loop();
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Shuts the queue down: {@code put} fails from now on, {@code get} once the queue is empty.
     * With {@code immediate}, the remaining items are discarded (and counted as done for
     * {@link #join()}). Every waiting {@code put}/{@code get} is woken to see the new state.
     */
    public void shutdown(boolean immediate) {
        loop();
        shutdown = true;
        if (immediate) {
            while (!empty()) {
                getItem();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        wakeAll(getters);
        wakeAll(putters);
    }

    /** {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    public boolean isShutdown() {
        return shutdown;
    }

    private static void wakeNext(ArrayDeque<Future<Boolean>> waiters) {
        Future<Boolean> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(true);
                return;
            }
        }
    }

    private static void wakeAll(ArrayDeque<Future<Boolean>> waiters) {
        Future<Boolean> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(true);
            }
        }
    }

    // ---------------------------------------------------------------- iteration

    /**
     * Consumes the queue: each {@code next()} is a {@link #get()} (it suspends); iteration ends
     * when the queue is shut down and drained.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    next = get();
                    return true;
                } catch (QueueShutDownException end) {
                    return false;
                }
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the queue is shut down and empty");
                }
                T t = next;
                next = null;
                return t;
            }
        };
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[maxsize=" + maxsize + ", qsize=" + size()
                + (getters.isEmpty() ? "" : ", getters=" + getters.size())
                + (putters.isEmpty() ? "" : ", putters=" + putters.size())
                + (unfinishedTasks > 0 ? ", tasks=" + unfinishedTasks : "") + (shutdown ? ", shut down" : "") + "]";
    }
}
