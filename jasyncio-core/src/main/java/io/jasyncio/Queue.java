package io.jasyncio;

import io.jasyncio.internal.WaitQueue;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A first-in first-out queue for tasks of one loop: asyncio's {@code Queue}. Not
 * {@link java.util.Queue}: {@link #put} and {@link #get} suspend tasks, never threads. Subclasses
 * {@link PriorityQueue} and {@link LifoQueue} change only the order.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=queue}
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
    private final WaitQueue getters = new WaitQueue(getClass().getSimpleName() + ".get", this);
    private final WaitQueue putters = new WaitQueue(getClass().getSimpleName() + ".put", this);
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
            // Woken for a free slot we will not use (cancelled): the next putter gets it.
            putters.park(loop, () -> {
                if (!full()) {
                    putters.wakeOne();
                }
            });
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
        if (shutdown) {
            throw new QueueShutDownException("putNowait() on a queue that was shut down");
        }
        if (full()) {
            throw new QueueFullException("putNowait() on a full queue (maxsize " + maxsize + ")");
        }
        putItem(item);
        unfinishedTasks++;
        finished.clear();
        getters.wakeOne();
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
            // Woken for an item we will not take (cancelled): the next getter gets it.
            getters.park(loop, () -> {
                if (!empty()) {
                    getters.wakeOne();
                }
            });
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item without suspending.
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if it is empty and shut down
     */
    public T getNowait() {
        if (empty()) {
            if (shutdown) {
                throw new QueueShutDownException("getNowait() on a queue that was shut down and is empty");
            }
            throw new QueueEmptyException("getNowait() on an empty queue");
        }
        T item = getItem();
        putters.wakeOne();
        return item;
    }

    // ---------------------------------------------------------------- join

    /**
     * Marks one item taken with {@code get} as processed.
     * @throws IllegalStateException if called more often than items were put
     */
    public void taskDone() {
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called more often than items were put (every taskDone()"
                    + " marks one item taken with get() as processed)");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /** Suspends until every item put has been marked with {@link #taskDone()}. */
    public void join() {
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
        getters.wakeAll();
        putters.wakeAll();
    }

    /** {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    public boolean isShutdown() {
        return shutdown;
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
                + (getters.size() == 0 ? "" : ", getters=" + getters.size())
                + (putters.size() == 0 ? "" : ", putters=" + putters.size())
                + (unfinishedTasks > 0 ? ", tasks=" + unfinishedTasks : "") + (shutdown ? ", shut down" : "") + "]";
    }
}
