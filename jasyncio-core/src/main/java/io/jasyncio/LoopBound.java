package io.jasyncio;

/**
 * asyncio's {@code _LoopBoundMixin}: a synchronization primitive binds itself to the running loop
 * the first time a task waits on it, and refuses every other loop (and threads without a loop)
 * with a message that says what to do. Operations that never suspend ({@code release},
 * {@code putNowait}, {@code set}, ...) do not need a running loop, as in asyncio.
 */
abstract class LoopBound {
    private EventLoop loop;

    /** The running loop, binding this primitive to it on first use: for operations that suspend. */
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

    /** The loop this primitive is bound to, or null while no task has waited on it. */
    final EventLoop boundLoop() {
        return loop;
    }
}
