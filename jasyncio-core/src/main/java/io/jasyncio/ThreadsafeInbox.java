package io.jasyncio;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's door for other threads (what {@link EventLoop#callSoonThreadsafe} posts into): any
 * number of threads {@link #post}, the loop alone {@link #moveTo moves} what was posted to its
 * ready queue.
 *
 * <h2>The snapshot rule</h2>
 * A move takes only the callbacks counted when it starts, so threads that keep posting cannot hold
 * the loop in its drain: timers and I/O get their turn, the rest waits for the next turn (asyncio's
 * rule for its ready queue, applied to the door). For example, two threads posting millions of
 * callbacks while a 1 ms timer is due: each turn moves what was there when it began, runs it, then
 * runs the timer.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>{@code count} never exceeds the number of items in {@code items}: a post adds the item first
 *     and counts it after, so a move that counted {@code n} finds at least {@code n} items (it never
 *     polls an empty queue).</li>
 * <li>Every posted item is moved exactly once, in the order the queue received them: a move may take
 *     an item whose poster has not counted it yet (it is ahead in the queue); that poster's count
 *     then stands for an item still queued, which the next move takes.</li>
 * </ul>
 * Both are model-checked by {@code ThreadsafeInboxModelCheckTest}: Lincheck runs two posters and
 * the loop under thousands of schedules (it finds a post that counts before it adds).
 *
 * <p>Threading: {@link #post} and {@link #isEmpty} from any thread; {@link #moveTo} and
 * {@link #clear} from the loop's thread only (one consumer).
 *
 * @param <T> what is posted (the loop posts {@link Handle}s)
 */
final class ThreadsafeInbox<T> {
    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    /** Items added (counted after adding) and not yet moved. */
    private final AtomicInteger count = new AtomicInteger();

    /** Adds {@code item} for the next move; any thread. */
    void post(T item) {
        items.add(item);
        count.incrementAndGet();
    }

    /**
     * Moves the items counted so far, oldest first, to {@code ready}; returns how many. Loop thread
     * only.
     */
    int moveTo(ArrayDeque<? super T> ready) {
        int n = count.getAndSet(0);
        for (int i = 0; i < n; i++) {
            ready.add(items.poll()); // counted only after it was added, so it is there
        }
        return n;
    }

    /** Whether nothing is waiting to be moved (items posted but not yet counted included); any thread. */
    boolean isEmpty() {
        return items.isEmpty();
    }

    /** Drops everything posted (the loop is closing); loop thread only. */
    void clear() {
        count.set(0);
        items.clear();
    }
}
