package io.jasyncio;

/**
 * asyncio's {@code _LoopBoundMixin}: a synchronization primitive binds itself to the running loop
 * the first time it is used, and refuses every other loop (and threads without a loop) with a
 * message that says what to do.
 */
abstract class LoopBound {
    private EventLoop loop;

    final EventLoop loop() {
        EventLoop running = EventLoop.runningOrNull();
        if (running == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " used where no event loop runs (thread "
                    + Thread.currentThread().getName() + "): use it from the tasks of one loop; from another thread,"
                    + " go through loop.callSoonThreadsafe or Asyncio.runCoroutineThreadsafe");
        }
        if (loop == null) {
            loop = running;
        } else if (loop != running) {
            throw new IllegalStateException(this + " is bound to a different event loop; a primitive serves the tasks"
                    + " of one loop (create one per loop)");
        }
        return loop;
    }

    /** True if some waiter is still waiting for its turn (not cancelled). */
    static boolean hasLiveWaiter(java.util.ArrayDeque<Future<Boolean>> waiters) {
        if (waiters != null) {
            for (Future<Boolean> w : waiters) {
                if (!w.cancelled()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Wakes the first waiter that is not done yet; returns false if there was none. */
    static boolean wakeFirst(java.util.ArrayDeque<Future<Boolean>> waiters, boolean value) {
        if (waiters == null) {
            return false;
        }
        for (Future<Boolean> f : waiters) {
            if (!f.done()) {
                f.setResult(value);
                return true;
            }
        }
        return false;
    }
}
