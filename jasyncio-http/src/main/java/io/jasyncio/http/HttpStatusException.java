package io.jasyncio.http;

/**
 * Thrown by a handler (or a middleware, or the {@link Router}) to answer with an HTTP status:
 * aiohttp.web's {@code HTTPException}s. The server sends {@code status} with the message as a plain-text
 * body, plus {@link #headers()} ({@code Allow} on a 405, {@code Location} on a redirect...).
 *
 * <pre>{@code
 * User user = users.get(id);
 * if (user == null) throw new HttpStatusException(404, "no user " + id);
 * }</pre>
 * It is an answer, not a failure: it is not logged as an error. Unchecked, so a handler that validates
 * deep inside its helpers needs no {@code throws} clauses.
 */
public class HttpStatusException extends RuntimeException {
    private final int status;
    private final HttpHeaders headers;

    /** An answer with {@code status} (400-599, or 3xx with a Location header) and the message as body. */
    public HttpStatusException(int status, String message) {
        this(status, message, new HttpHeaders());
    }

    public HttpStatusException(int status, String message, HttpHeaders headers) {
        super(message == null ? HttpEncoder.reasonPhrase(status) : message);
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("HttpStatusException needs a 3xx, 4xx or 5xx status, not " + status);
        }
        this.status = status;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    /** Header fields the answer carries; modifiable until it is sent. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The response the server sends for this exception. */
    HttpResponse toResponse() {
        HttpResponse r = HttpResponse.text(status, getMessage());
        for (int i = 0; i < headers.size(); i++) {
            r.headers().add(headers.name(i), headers.value(i));
        }
        return r;
    }
}
