package io.jasyncio;

import io.jasyncio.internal.UserFrames;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Debug mode's detector of swallowed cancellations: a task that was cancelled, received the
 * {@link CancelledError}, and then returned normally without {@link Task#uncancel()} hid the cancellation
 * from whoever cancelled it (a TaskGroup, a timeout, {@code Runner} on Ctrl-C). asyncio lets this pass in
 * silence; here it is logged as a warning naming the task and the user's line the error was raised at, which
 * is where it was caught or in a method that called it (Java does not record the catching frame).
 *
 * <p>Cost: nothing outside debug mode (the hooks test {@code loop.isDebug()} only where a cancellation is
 * raised and where a task with pending cancellation requests returns). In debug mode the last
 * {@code CancelledError} raised into each task is remembered weakly.
 *
 * <p>Threading: loop-confined (one instance per loop, created on first use).
 */
final class SwallowedCancellation {
    private static final System.Logger LOG = System.getLogger("io.jasyncio");

    private final Map<Task<?>, CancelledError> lastRaised = new WeakHashMap<>();

    /** {@code error} is being raised into {@code task}'s code. */
    void raised(Task<?> task, CancelledError error) {
        lastRaised.put(task, error);
    }

    /** {@code task} returned normally with cancellation requests outstanding: report if it had received one. */
    void returnedNormally(Task<?> task) {
        CancelledError e = lastRaised.remove(task);
        if (e == null) {
            return;
        }
        StackTraceElement at = UserFrames.firstUserFrame(e.getStackTrace());
        String message = "Task " + task.getName() + " was cancelled (" + task.cancelling() + " request(s)) but returned normally"
                + " without uncancel(): the CancelledError " + (at != null ? "raised at " + at : "it received")
                + " was caught there or in a caller and not rethrown; rethrow it, or call uncancel() if ignoring the"
                + " cancellation is intended";
        LOG.log(Level.WARNING, message, e);
    }
}
