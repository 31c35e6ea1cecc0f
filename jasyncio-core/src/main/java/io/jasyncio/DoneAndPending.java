package io.jasyncio;

import java.util.Set;

/**
 * What {@link Asyncio#wait} returns: asyncio's {@code (done, pending)} pair. Both sets keep the
 * order in which the futures were given.
 */
public record DoneAndPending<T>(Set<Future<T>> done, Set<Future<T>> pending) {}
