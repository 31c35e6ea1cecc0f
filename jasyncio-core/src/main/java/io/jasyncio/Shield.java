package io.jasyncio;

import java.util.Objects;

/**
 * A block of a task that cancellations cannot interrupt: trio's {@code CancelScope(shield=True)},
 * Kotlin's {@code withContext(NonCancellable)}, for clean-up that must finish (closing a
 * connection politely, rolling a transaction back) even while the task is being cancelled or its
 * deadline passes. See {@link Asyncio#shielded}.
 *
 * <h2>The rule</h2>
 * While the block runs, a cancellation of its task (from outside, from an enclosing
 * {@code timeout} or {@code TaskGroup}) is counted ({@link Task#cancelling()} goes up) but held back;
 * when the block ends it is armed again and thrown at the task's next suspension point, where it
 * works as if it had just arrived (an enclosing {@code timeout} still turns its own into a
 * {@link TimeoutException}). Scopes opened inside the block are not held back: a {@code timeout}
 * around a step of the clean-up still bounds that step. A cancellation already armed when the
 * block starts is held back too.
 *
 * <p>Threading: loop-confined; belongs to the task that opened it.
 */
final class Shield extends Scope {
    /** The shield around this one in the same task, or null. */
    Shield outerShield;
    private boolean heldBack;
    private String heldBackMessage;

    /** Runs {@code body} shielded in the current task. */
    static <T> T run(Coroutine<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        Task<?> task = Task.currentOrThrow("shielded()");
        Shield s = new Shield();
        task.enterShield(s);
        try {
            return body.call();
        } finally {
            task.exitShield(s);
        }
    }

    /** True if {@code from} (a scope of the same task, or null for anyone else) was opened inside this block. */
    boolean encloses(Scope from) {
        for (Scope sc = from; sc != null; sc = sc.outer) {
            if (sc == this) {
                return true;
            }
        }
        return false;
    }

    void holdBack(String message) {
        if (!heldBack) {
            heldBack = true;
            heldBackMessage = message;
        }
    }

    boolean heldBack() {
        return heldBack;
    }

    String heldBackMessage() {
        return heldBackMessage;
    }

    @Override
    public String toString() {
        return "Shield[" + (heldBack ? "holding a cancellation" : "nothing held") + "]";
    }
}
