package io.jasyncio;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A limit on how much blocking work runs on other threads at once: trio's {@code CapacityLimiter},
 * Kotlin's {@code Dispatchers.IO.limitedParallelism(n)}. Tasks wait for a token on the loop (FIFO,
 * never blocking a thread), then hand their work to {@link Asyncio#toThread}; so a database pool, file
 * I/O and a CPU-heavy parser can each get their own share instead of starving each other in the one
 * default executor (up to {@value EventLoop#DEFAULT_EXECUTOR_THREADS} threads).
 *
 * <pre>{@code
 * CapacityLimiter files = new CapacityLimiter(4);
 * byte[] data = files.toThread(() -> Files.readAllBytes(path));   // at most 4 file reads at once
 * }</pre>
 *
 * <p>Cancellation: a task cancelled while waiting for a token takes none (and passes on a token it
 * was just handed, see {@link Semaphore}); one cancelled while its work runs interrupts the worker
 * and gives its token back at once. Work that ignores the interrupt keeps its thread until it
 * returns, so for a moment it can run beside the next holder of the token.
 *
 * <p>Threading: loop-confined, like a {@link Semaphore} (which it is built on).
 */
public final class CapacityLimiter {
    private final int totalTokens;
    private final Semaphore tokens;

    /** A limiter for at most {@code totalTokens} pieces of work at once. */
    public CapacityLimiter(int totalTokens) {
        if (totalTokens < 1) {
            throw new IllegalArgumentException("a CapacityLimiter needs at least 1 token, not " + totalTokens);
        }
        this.totalTokens = totalTokens;
        this.tokens = new Semaphore(totalTokens);
    }

    /** Waits for a token, then runs {@code work} on the default executor (see {@link Asyncio#toThread}). */
    public <T> T toThread(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        try (Held token = tokens.acquire()) {
            return Asyncio.toThread(work);
        }
    }

    /** {@link #toThread(Callable)}, declaring the checked exception the caller expects. */
    public <T, X extends Exception> T toThreadChecked(Callable<T> work, Class<X> expected) throws X {
        Objects.requireNonNull(expected, "expected");
        return toThread(work);
    }

    /** Tokens in use now. */
    public int borrowedTokens() {
        return totalTokens - tokens.availablePermits();
    }

    /** Tokens free now. */
    public int availableTokens() {
        return tokens.availablePermits();
    }

    public int totalTokens() {
        return totalTokens;
    }

    @Override
    public String toString() {
        return "CapacityLimiter[borrowed=" + borrowedTokens() + "/" + totalTokens + "]";
    }
}
