package io.jasyncio;

import io.jasyncio.internal.Sneaky;

/**
 * How one awaitable ended, as {@link Asyncio#gatherSettled} reports it: asyncio's
 * {@code gather(..., return_exceptions=True)}, with the value and the exception kept apart.
 *
 * @param <T> the value type
 */
public sealed interface Outcome<T> {

    /** It returned {@code value}. */
    record Success<T>(T value) implements Outcome<T> {}

    /** It raised {@code exception} (a {@link CancelledError} if it was cancelled). */
    record Failure<T>(Throwable exception) implements Outcome<T> {}

    /** True for a {@link Success}. */
    default boolean isSuccess() {
        return this instanceof Success<T>;
    }

    /** The value, or the exception rethrown as is. */
    default T getOrThrow() {
        if (this instanceof Success<T> s) {
            return s.value();
        }
        throw Sneaky.raise(((Failure<T>) this).exception());
    }
}
