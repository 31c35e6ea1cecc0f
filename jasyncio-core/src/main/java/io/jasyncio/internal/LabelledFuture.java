package io.jasyncio.internal;

import io.jasyncio.EventLoop;
import io.jasyncio.Future;

/**
 * A future that says what it stands for, so that a task suspended on it can be described
 * ("Lock.acquire on Lock[locked by writer]", "read on SocketTransport[open, /127.0.0.1:5000]")
 * by {@code Task.toString()}, call graphs, {@code ps} and the deadlock detector. The waits of the
 * library's own primitives (a {@link WaitQueue} joined by {@code Select}, stream reads, thread-pool
 * jobs, cross-thread stages) use it; a plain {@link Future} is described by its type only. (A task
 * parked in a {@link WaitQueue} has no future: the line describes itself the same way.)
 *
 * <p>The subject's {@code toString()} is read only when a description is asked for, on the loop's
 * thread, so labelling a wait costs one field store.
 *
 * @param <T> the result type
 */
public class LabelledFuture<T> extends Future<T> {
    private final String action;
    private final Object subject;

    /**
     * A pending future of {@code loop} for {@code action} ("Lock.acquire") on {@code subject} (the
     * object waited on, described by its {@code toString()}; null: none).
     */
    public LabelledFuture(EventLoop loop, String action, Object subject) {
        super(loop);
        this.action = action;
        this.subject = subject;
    }

    /** The object waited on, or null. */
    public Object subject() {
        return subject;
    }

    /** "action on subject", or just the action. */
    public String describe() {
        return describe(action, subject);
    }

    /** "action on subject", or just the action when there is no subject. */
    static String describe(String action, Object subject) {
        return subject == null ? action : action + " on " + subject;
    }

    /** "action subjectName": for a subject that must not be printed whole (a future or task). */
    public String describe(String subjectName) {
        return action + " " + subjectName;
    }
}
