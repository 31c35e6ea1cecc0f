package io.jasyncio;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The loop's timers (asyncio's {@code _scheduled} heap): {@link TimerHandle}s ordered by deadline,
 * FIFO among equal deadlines (each timer gets a sequence number when created).
 *
 * <h2>The compaction rule</h2>
 * A cancelled timer drops its callback at once ({@link TimerHandle#cancel()}) but stays in the heap,
 * because removing it from the middle costs O(n). Cancelled entries leave when they reach the top,
 * or all at once when they are more than half of the heap and more than {@value #MIN_TO_COMPACT}
 * (asyncio's rule), so a program that starts and cancels many timeouts cannot fill the heap.
 *
 * <p>Threading: loop-confined.
 */
final class TimerQueue {
    static final int MIN_TO_COMPACT = 100;

    private final PriorityQueue<TimerHandle> heap = new PriorityQueue<>();
    /** Cancelled entries still in the heap. */
    private int cancelled;
    private long sequence;

    /** The sequence number of the next timer: FIFO order among equal deadlines. */
    long nextSequence() {
        return sequence++;
    }

    void add(TimerHandle h) {
        heap.add(h);
    }

    /** A timer still in the heap was cancelled (called by {@link TimerHandle#cancel()}). */
    void cancelledOne() {
        cancelled++;
    }

    /** Drops cancelled entries from the top, and rebuilds the heap when they are the majority. */
    void dropCancelled() {
        if (cancelled > MIN_TO_COMPACT && cancelled * 2 > heap.size()) {
            List<TimerHandle> live = new ArrayList<>(heap.size() - cancelled);
            for (TimerHandle h : heap) {
                if (h.cancelled) {
                    h.scheduled = false;
                } else {
                    live.add(h);
                }
            }
            heap.clear();
            heap.addAll(live);
            cancelled = 0;
        }
        while (!heap.isEmpty() && heap.peek().cancelled) {
            heap.poll().scheduled = false;
            cancelled--;
        }
    }

    /** The earliest deadline in loop nanoseconds (cancelled entries included), or Long.MAX_VALUE. */
    long earliestNanos() {
        TimerHandle h = heap.peek();
        return h == null ? Long.MAX_VALUE : h.whenNanos;
    }

    boolean isEmpty() {
        return heap.isEmpty();
    }

    /** Moves every timer due at {@code now} to {@code ready}, in deadline order; cancelled ones are dropped. */
    void moveDue(long now, ArrayDeque<Object> ready) {
        while (!heap.isEmpty() && heap.peek().whenNanos <= now) {
            TimerHandle h = heap.poll();
            h.scheduled = false;
            if (h.cancelled) {
                cancelled--;
            } else {
                ready.add(h);
            }
        }
    }

    /** Entries in the heap, cancelled ones included (for tests of the compaction rule). */
    int entries() {
        return heap.size();
    }

    /** Timers that will still run. */
    int live() {
        return heap.size() - cancelled;
    }

    void clear() {
        heap.clear();
        cancelled = 0;
    }
}
