package io.jasyncio;

import java.util.ArrayDeque;

/** A {@link Queue} that returns the most recently added item first: asyncio's {@code LifoQueue}. */
public final class LifoQueue<T> extends Queue<T> {
    private final ArrayDeque<T> stack = new ArrayDeque<>();

    public LifoQueue() {
        this(0);
    }

    public LifoQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    void putItem(T item) {
        stack.addFirst(item);
    }

    @Override
    T getItem() {
        return stack.pollFirst();
    }

    @Override
    int size() {
        return stack.size();
    }
}
