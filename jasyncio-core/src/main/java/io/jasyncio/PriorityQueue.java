package io.jasyncio;

import java.util.Comparator;

/**
 * A {@link Queue} that returns the smallest item first: asyncio's {@code PriorityQueue}. Not
 * {@link java.util.PriorityQueue}. Items compare by natural order or by the given comparator;
 * equal items come out in no particular order.
 */
public final class PriorityQueue<T> extends Queue<T> {
    private final java.util.PriorityQueue<T> heap;

    /** Unbounded, natural order. */
    public PriorityQueue() {
        this(0, null);
    }

    /** Bounded by {@code maxsize} (0: unbounded), natural order: asyncio's {@code PriorityQueue(maxsize)}. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** Bounded by {@code maxsize} (0: unbounded), ordered by {@code comparator} (null: natural order). */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize);
        this.heap = new java.util.PriorityQueue<>(comparator);
    }

    @Override
    void putItem(T item) {
        heap.add(item);
    }

    @Override
    T getItem() {
        return heap.poll();
    }

    @Override
    int size() {
        return heap.size();
    }
}
