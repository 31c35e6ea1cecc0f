package io.jasyncio;

/**
 * Something a task can iterate with a plain for-each whose steps may suspend: Python's
 * {@code async for}.
 *
 * <pre>{@code
 * try (AsyncIterator<Line> it = source.iterator()) {   // or simply: for (Line l : source)
 *     while (it.hasNext()) handle(it.next());
 * }
 * }</pre>
 */
public interface AsyncIterable<T> extends Iterable<T> {
    @Override
    AsyncIterator<T> iterator();
}
