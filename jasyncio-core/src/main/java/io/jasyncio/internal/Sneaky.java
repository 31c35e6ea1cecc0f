package io.jasyncio.internal;

/**
 * Rethrows any throwable unchanged, checked or not, so that an exception raised by a coroutine
 * reaches whoever awaits it as the very same object (the policy is explained on
 * {@code io.jasyncio.Future#await()}).
 */
public final class Sneaky {
    private Sneaky() {}

    /** Always throws {@code t}; declared to return so callers can write {@code throw Sneaky.raise(t)}. */
    public static RuntimeException raise(Throwable t) {
        throw Sneaky.<RuntimeException>raise0(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E raise0(Throwable t) throws E {
        throw (E) t;
    }
}
