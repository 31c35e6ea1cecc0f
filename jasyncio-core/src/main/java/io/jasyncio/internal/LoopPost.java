package io.jasyncio.internal;

import io.jasyncio.EventLoop;

/**
 * Hands work to a loop from another thread when the loop may already be closed: a worker
 * finishing, a pipe pump, a reactive subscriber cancelling. A closed loop refuses the callback,
 * and since nobody can receive it any more, that is not an error for these callers.
 */
public final class LoopPost {
    private LoopPost() {}

    /** {@code loop.callSoonThreadsafe(callback)}; returns false instead of throwing if the loop is closed. */
    public static boolean postIfOpen(EventLoop loop, Runnable callback) {
        try {
            loop.callSoonThreadsafe(callback);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }
}
