package io.jasyncio.http;

/**
 * What answers a request on an {@link HttpServer}: aiohttp.web's handler. A plain method that may
 * suspend (read the body, call a database, sleep); it runs in its connection's task, so requests of one
 * connection are handled one after the other (pipelined requests are answered in order) and requests of
 * different connections concurrently, all on the server's loop.
 *
 * <p>To answer with an error status, return a response with that status or throw
 * {@link HttpStatusException}; any other exception becomes a {@code 500} (logged once). A cancellation
 * (the client reset the connection, the server's shutdown grace ran out) arrives as a
 * {@link io.jasyncio.CancelledError} at the handler's current suspension point.
 *
 * <p>A {@link Router} is itself a handler; so is anything a {@link Middleware} wraps.
 */
@FunctionalInterface
public interface Handler {
    HttpResponse handle(HttpRequest request) throws Exception;
}
