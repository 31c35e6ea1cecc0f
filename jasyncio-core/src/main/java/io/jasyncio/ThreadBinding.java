package io.jasyncio;

import java.util.Objects;

/**
 * State that thread-based libraries keep per thread (a {@link ThreadLocal}, the logging MDC, a
 * tracing span) made to follow jasyncio's {@link Context} instead: Kotlin's
 * {@code ThreadContextElement} / {@code MDCContext}. Once {@linkplain Context#addThreadBinding added},
 * a binding is installed on the thread that runs a task whenever the task resumes, and restored when
 * it suspends; the same around callbacks, {@link Context#run} and the work handed to
 * {@link Asyncio#toThread}. So a ThreadLocal-based logger sees the request id of the task that is
 * logging, on the loop thread and on worker threads alike.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("requestId");
 * static final ThreadLocal<String> MDC_REQUEST_ID = new ThreadLocal<>();
 * ...
 * Context.addThreadBinding(ThreadBinding.of(REQUEST_ID, MDC_REQUEST_ID));   // once, at start-up
 * }</pre>
 *
 * <p>Threading: {@link #install} and {@link #restore} are called on the thread that runs the code,
 * in pairs, never concurrently for one thread.
 */
public interface ThreadBinding {

    /** Makes the current thread show {@code context}'s state (null: the empty context); returns what {@link #restore} needs. */
    Object install(Context context);

    /** Puts back what {@link #install} returned. */
    void restore(Object saved);

    /** Binds {@code threadLocal} to {@code var}: the thread local holds the variable's value in the current context. */
    static <T> ThreadBinding of(ContextVar<T> var, ThreadLocal<T> threadLocal) {
        Objects.requireNonNull(var, "var");
        Objects.requireNonNull(threadLocal, "threadLocal");
        return new ThreadBinding() {
            @Override
            public Object install(Context context) {
                T before = threadLocal.get();
                T value = context == null ? null : context.get(var);
                if (value == null) {
                    threadLocal.remove();
                } else {
                    threadLocal.set(value);
                }
                return before;
            }

            @Override
            @SuppressWarnings("unchecked")
            public void restore(Object saved) {
                if (saved == null) {
                    threadLocal.remove();
                } else {
                    threadLocal.set((T) saved);
                }
            }

            @Override
            public String toString() {
                return "ThreadBinding[" + var + " -> " + threadLocal + "]";
            }
        };
    }
}
