package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.Future;

/**
 * A capacity-1 channel built from Futures, for W2 until the Queue issue lands: {@code put}
 * suspends while the slot is full, {@code get} while it is empty. One producer, one consumer.
 */
final class Slot<T> {
    private T item;
    private boolean full;
    private Future<Void> getter, putter;

    void put(T value) {
        while (full) {
            putter = Asyncio.getRunningLoop().createFuture();
            putter.await();
        }
        item = value;
        full = true;
        if (getter != null) {
            Future<Void> g = getter;
            getter = null;
            g.setResult(null);
        }
    }

    T get() {
        while (!full) {
            getter = Asyncio.getRunningLoop().createFuture();
            getter.await();
        }
        T v = item;
        item = null;
        full = false;
        if (putter != null) {
            Future<Void> p = putter;
            putter = null;
            p.setResult(null);
        }
        return v;
    }
}
