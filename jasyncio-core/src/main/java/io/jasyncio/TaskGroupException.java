package io.jasyncio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One or more tasks of a {@link TaskGroup} failed: asyncio's
 * {@code BaseExceptionGroup('unhandled errors in a TaskGroup', errors)}.
 *
 * <p>{@link #exceptions()} holds every failure in the order they happened, each the very object
 * its task raised; they are also attached as suppressed exceptions so a printed stack trace shows
 * them all. The group's first failure is the cause.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Throwable> exceptions = new ArrayList<>();

    TaskGroupException() {
        super("unhandled errors in a TaskGroup");
    }

    void add(Throwable t) {
        if (exceptions.isEmpty()) {
            initCause(t);
        }
        exceptions.add(t);
        addSuppressed(t);
    }

    /** The failures, in the order they happened. */
    public List<Throwable> exceptions() {
        return Collections.unmodifiableList(exceptions);
    }

    @Override
    public String getMessage() {
        int n = exceptions.size();
        return "unhandled errors in a TaskGroup (" + n + " sub-exception" + (n == 1 ? "" : "s") + ")";
    }
}
