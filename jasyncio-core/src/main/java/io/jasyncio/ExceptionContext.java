package io.jasyncio;

/**
 * What the loop knows about an error nobody else could handle: asyncio's exception-handler
 * context dictionary, as a record. Any component may be null except {@code message}.
 *
 * @param message   what happened, in words
 * @param exception the exception, if any
 * @param future    the future or task concerned, if any
 * @param handle    the callback handle concerned, if any
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle) {

    /** A context with a message and an exception. */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null);
    }

    /** This context naming a future or task. */
    public ExceptionContext withFuture(Future<?> f) {
        return new ExceptionContext(message, exception, f, handle);
    }

    /** This context naming a callback handle. */
    public ExceptionContext withHandle(Handle h) {
        return new ExceptionContext(message, exception, future, h);
    }
}
