package io.jasyncio.http;

/**
 * Code around every request of a {@link Router}: aiohttp.web's middleware. It gets the request and the
 * rest of the chain, and may answer itself (authentication failed), change the request's attributes,
 * call {@code next.handle(request)}, change the response it returns, or catch what the rest threw
 * (including the router's 404 and 405, which arrive as {@link HttpStatusException}).
 *
 * <pre>{@code
 * router.use((request, next) -> {
 *     long start = System.nanoTime();
 *     HttpResponse response = next.handle(request);
 *     return response.header("X-Elapsed-Micros", String.valueOf((System.nanoTime() - start) / 1000));
 * });
 * }</pre>
 * The first middleware added is the outermost. It runs in the request's task and may suspend.
 */
@FunctionalInterface
public interface Middleware {
    HttpResponse handle(HttpRequest request, Handler next) throws Exception;
}
