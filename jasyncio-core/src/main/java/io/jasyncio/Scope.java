package io.jasyncio;

/**
 * An open {@link Timeout} or {@link TaskGroup} of one task. A task's scopes form a stack, innermost
 * first, each linked to the one around it; the stack answers "which deadline applies here?"
 * ({@link Asyncio#currentDeadline()}) without the code in between passing it along.
 *
 * <p>Scopes never change the exception that reaches the code inside them: a deadline or a
 * cancellation always travels through inner code as a {@link CancelledError}, and each scope turns
 * the cancellation it caused into its own exception only where its block ends.
 *
 * <p>Threading: loop-confined; opened and closed by the task that owns it, innermost first.
 */
abstract class Scope {
    /** The enclosing scope of the same task, or null. */
    Scope outer;

    /** This scope's deadline in loop nanoseconds, or {@link Long#MAX_VALUE} for none. */
    long deadlineNanos() {
        return Long.MAX_VALUE;
    }

    /** The earliest deadline of {@code innermost} and the scopes around it, or {@link Long#MAX_VALUE}. */
    static long effectiveDeadlineNanos(Scope innermost) {
        long earliest = Long.MAX_VALUE;
        for (Scope s = innermost; s != null; s = s.outer) {
            earliest = Math.min(earliest, s.deadlineNanos());
        }
        return earliest;
    }
}
